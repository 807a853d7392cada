"""POST /api/reports/: every refusal's exact body (both languages), pinned against a record.

The offline queue and the residents' pages show these messages and branch on their fields and
codes, so a change of checker must not change one byte of them. The record was made from the
hand-written checker that the intake serializer replaced; ``GEO_KLIK_RECORD=1`` rewrites it
(only when a message is meant to change).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from geo_klik.reports.models import Category
from tests.reports.conftest import TINY_LAT, TINY_LON, report_body

RECORD = Path(__file__).with_name("intake_error_bodies.json")

JSON_BODIES: dict[str, Any] = {
    "valid": report_body(),
    "missing everything": {},
    "every field null": dict.fromkeys(("category", "lat", "lon", "description")),
    "lat missing": report_body(lat=None),
    "lat text": report_body(lat="minus nol koma tiga"),
    "lat list": report_body(lat=[1, 2]),
    "lat object": report_body(lat={"v": 1}),
    "lat boolean": report_body(lat=True),
    "lat NaN text": report_body(lat="NaN"),
    "lon -Infinity text": report_body(lon="-Infinity"),
    "lat out of range": report_body(lat=91),
    "lon out of range": report_body(lon=-180.5),
    "lat huge integer": report_body(lat=10**400),
    "lat and lon as text": report_body(lat=str(TINY_LAT), lon=str(TINY_LON)),
    "lat blank text": report_body(lat="  "),
    "outside the city": report_body(lat=-0.3, lon=100.37),
    "lat/lon and location": report_body(location={"type": "Point"}),
    "location polygon": report_body(
        lat=None, lon=None, location={"type": "Polygon", "coordinates": []}
    ),
    "location out of range": report_body(
        lat=None, lon=None, location={"type": "Point", "coordinates": [200, 0]}
    ),
    "location huge": report_body(
        lat=None, lon=None, location={"type": "Point", "coordinates": [10**400, 10**400]}
    ),
    "location text": report_body(
        lat=None, lon=None, location=json.dumps({"type": "Point", "coordinates": [TINY_LON, 0]})
    ),
    "location bad text": report_body(lat=None, lon=None, location="{"),
    "location list": report_body(lat=None, lon=None, location=[TINY_LON, TINY_LAT]),
    "location 4 coordinates": report_body(
        lat=None, lon=None, location={"type": "Point", "coordinates": [1, 2, 3, 4]}
    ),
    "location null coordinates": report_body(
        lat=None, lon=None, location={"type": "Point", "coordinates": [None, True]}
    ),
    "location valid": report_body(
        lat=None, lon=None, location={"type": "Point", "coordinates": [TINY_LON, TINY_LAT, 9]}
    ),
    "category missing": report_body(category=None),
    "category blank": report_body(category="   "),
    "category unknown": report_body(category="ufo_sighting"),
    "category object": report_body(category={"code": "garbage"}),
    "category list": report_body(category=["garbage"]),
    "category number": report_body(category=7),
    "category NUL": report_body(category="garbage\x00"),
    "category padded": report_body(category="  garbage "),
    "description missing": report_body(description=None),
    "description blank": report_body(description=" \n\t "),
    "description long": report_body(description="x" * 4001),
    "description number": report_body(description=42),
    "description list": report_body(description=["a"]),
    "description NUL": report_body(description="a\x00b"),
    "description surrogate": report_body(description="a\ud800"),
    "email invalid": report_body(reporter_email="siti@"),
    "email long": report_body(reporter_email="a" * 250 + "@b.id"),
    "email number": report_body(reporter_email=5),
    "phone invalid": report_body(reporter_phone="call me maybe"),
    "phone long": report_body(reporter_phone="1" * 31),
    "name long": report_body(reporter_name="n" * 101),
    "name NUL": report_body(reporter_name="\x00"),
    "contact valid": report_body(
        reporter_name=" Siti ", reporter_phone="+62 812-3456", reporter_email="s@x.id"
    ),
    "accuracy negative": report_body(accuracy_m=-1),
    "accuracy text": report_body(accuracy_m="good"),
    "accuracy NaN text": report_body(accuracy_m="nan"),
    "accuracy huge": report_body(accuracy_m=10**400),
    "accuracy too large": report_body(accuracy_m=100_001),
    "accuracy boolean": report_body(accuracy_m=True),
    "accuracy list": report_body(accuracy_m=[1]),
    "accuracy text number": report_body(accuracy_m="12.5"),
    "anonymous maybe": report_body(anonymous="maybe"),
    "anonymous number": report_body(anonymous=1),
    "anonymous list": report_body(anonymous=[True]),
    "anonymous ya": report_body(anonymous="Ya"),
    "photos in JSON": report_body(photos=["aGVsbG8="]),
    "photos object in JSON": report_body(photos={}),
    "everything wrong": {
        "category": [],
        "lat": {},
        "lon": [],
        "description": {},
        "accuracy_m": "x",
        "anonymous": "x",
        "reporter_name": 1,
        "reporter_phone": "x",
        "reporter_email": "x",
        "photos": "x",
    },
    "unknown fields only": {"foo": "bar"},
    "ten megabyte description": report_body(description="x" * 10_000_000),
}

RAW_JSON: dict[str, bytes] = {
    "NaN literal": b'{"category": "garbage", "lat": NaN, "lon": 100, "description": "x"}',
    "Infinity literal": b'{"category": "garbage", "lat": 1, "lon": Infinity, "description": "x"}',
    "1e999": b'{"category": "garbage", "lat": 1e999, "lon": -1e999, "description": "x"}',
    "array": b"[1, 2]",
    "string": b'"just a string"',
    "null": b"null",
    "number": b"12",
}


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def multipart_bodies() -> dict[str, dict[str, Any]]:
    fields = report_body(lat=str(TINY_LAT), lon=str(TINY_LON))
    photo = png()

    def upload(name: str = "a.png", content: bytes = photo) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="image/png")

    return {
        "multipart valid": fields,
        "multipart one photo": {**fields, "photos": [upload()]},
        "multipart four photos": {**fields, "photos": [upload() for _ in range(4)]},
        "multipart photo not an image": {**fields, "photos": [upload("a.jpg", b"hello")]},
        "multipart second photo bad": {
            **fields,
            "photos": [upload(), upload("b.png", b"\x89PNG\r\n\x1a\n garbage")],
        },
        "multipart file in another field": {**fields, "photo": upload()},
        "multipart photos as text": {**fields, "photos": "aGVsbG8="},
        "multipart anonymous on": {**fields, "anonymous": "on"},
        "multipart anonymous tidak": {**fields, "anonymous": "tidak"},
        "multipart location text": {
            **report_body(lat=None, lon=None),
            "location": json.dumps({"type": "Point", "coordinates": [TINY_LON, TINY_LAT]}),
        },
        "multipart location junk": {**report_body(lat=None, lon=None), "location": "{"},
        "multipart repeated lat": {**fields, "lat": ["1", "2"]},
        "multipart blank accuracy": {**fields, "accuracy_m": ""},
        "multipart everything blank": dict.fromkeys(
            ("category", "lat", "lon", "description", "anonymous"), ""
        ),
    }


def answer(response: Any) -> dict[str, Any]:
    body = response.json()
    return {"status": response.status_code, "errors": body.get("errors")}


def answers(client: Client) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, body in JSON_BODIES.items():
        sent = json.dumps(body).encode()
        response = client.generic("POST", "/api/reports/", sent, content_type="application/json")
        result[name] = answer(response)
    for name, raw in RAW_JSON.items():
        response = client.generic("POST", "/api/reports/", raw, content_type="application/json")
        result[name] = answer(response)
    for name, form in multipart_bodies().items():
        result[name] = answer(client.post("/api/reports/", form))
    return result


def test_it_answers_every_hostile_body_exactly_as_recorded(
    client: Client, categories: dict[str, Category]
) -> None:
    got = answers(client)
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
