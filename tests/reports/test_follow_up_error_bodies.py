"""Residents' follow-up (nearby, comment, rating, reopen, map feed): every refusal, as recorded.

The record was made from the hand-written checks that the follow-up serializers replaced;
``GEO_KLIK_RECORD=1`` rewrites it (only when a message is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.reports.conftest import TINY_LAT, TINY_LON
from tests.reports.test_follow_up import SECRET, a_photo

RECORD = Path(__file__).with_name("follow_up_error_bodies.json")

NEARBY: dict[str, dict[str, str]] = {
    "nothing": {},
    "valid": {"category": "garbage", "lat": str(TINY_LAT), "lon": str(TINY_LON)},
    "blank": {"category": " ", "lat": "", "lon": ""},
    "unknown category": {"category": "ufo", "lat": "1", "lon": "1"},
    "NaN": {"category": "garbage", "lat": "NaN", "lon": "inf"},
    "huge": {"category": "garbage", "lat": "1" + "0" * 400, "lon": "-1e999"},
    "out of range": {"category": "garbage", "lat": "-91", "lon": "181"},
    "text": {"category": "garbage", "lat": "utara", "lon": "1,5"},
}

MAP: dict[str, dict[str, str]] = {
    "nothing": {},
    "all valid": {
        "status": "open",
        "days": "7",
        "category": "garbage",
        "kelurahan": "13.75.01.1001",
        "in_bbox": "100.0,-0.01,100.01,0.0",
    },
    "status": {"status": "closed"},
    "days zero": {"days": "0"},
    "days huge": {"days": "9" * 50},
    "days negative": {"days": "-3"},
    "days float": {"days": "2.5"},
    "category junk": {"category": "../x"},
    "category long": {"category": "a" * 200},
    "kelurahan junk": {"kelurahan": "13.75;DROP"},
    "kelurahan long": {"kelurahan": "1" * 21},
    "bbox junk": {"in_bbox": "1,2,3"},
    "bbox NaN": {"in_bbox": "nan,0,1,1"},
    "everything wrong": {
        "status": "x",
        "days": "x",
        "category": "x y",
        "kelurahan": "x",
        "in_bbox": "x",
    },
}

BODIES: dict[str, tuple[str, Any]] = {
    "comment none": ("comments", {}),
    "comment blank": ("comments", {"text": "  "}),
    "comment number": ("comments", {"text": 5}),
    "comment list": ("comments", {"text": ["a"]}),
    "comment NUL": ("comments", {"text": "a\x00"}),
    "comment surrogate": ("comments", {"text": "a\ud800"}),
    "comment long": ("comments", {"text": "k" * 2001}),
    "comment not an object": ("comments", [1]),
    "comment valid": ("comments", {"text": "Masih ada"}),
    "rating none": ("rating", {}),
    "rating zero": ("rating", {"stars": 0}),
    "rating six": ("rating", {"stars": "6"}),
    "rating float": ("rating", {"stars": 4.0}),
    "rating boolean": ("rating", {"stars": True}),
    "rating huge": ("rating", {"stars": 10**400}),
    "rating text": ("rating", {"stars": "lima"}),
    "rating list": ("rating", {"stars": [5]}),
    "rating long comment": ("rating", {"stars": 5, "comment": "c" * 1001}),
    "rating comment number": ("rating", {"stars": 9, "comment": 3}),
    "rating not an object": ("rating", "5"),
    "rating valid": ("rating", {"stars": " 4 ", "comment": " Baik "}),
    "reopen none": ("reopen", {}),
    "reopen long": ("reopen", {"reason": "r" * 1001}),
    "reopen NUL": ("reopen", {"reason": "\x00"}),
    "reopen object": ("reopen", {"reason": {"a": 1}}),
    "reopen not an object": ("reopen", None),
}


def answer(response: Any) -> dict[str, Any]:
    body = response.json()
    return {"status": response.status_code, "errors": body.get("errors")}


def multipart_answers(reporter: Client, url: str) -> dict[str, Any]:
    photo = a_photo()
    cases = {
        "comment two photos": {"text": "a", "photo": [a_photo(), a_photo()]},
        "comment photo elsewhere": {"text": "a", "photos": photo},
        "comment bad photo": {"text": "a", "photo": SimpleUploadedFile("p.jpg", b"nope")},
        "comment bad text and photo": {"text": "", "photo": [a_photo(), a_photo()]},
        "comment photo": {"text": "Foto baru", "photo": a_photo()},
    }
    return {name: answer(reporter.post(url, form)) for name, form in cases.items()}


def test_it_answers_every_hostile_follow_up_exactly_as_recorded(
    client: Client, categories: dict[str, Category]
) -> None:
    report, _ = actions.create_report(
        category=categories["garbage"],
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah",
        reporter_secret=SECRET,
    )
    actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    reporter = Client(headers={"X-Reporter-Secret": SECRET})
    got: dict[str, Any] = {}
    for name, query in NEARBY.items():
        got[f"nearby {name}"] = answer(client.get("/api/reports/nearby/", query))
    for name, query in MAP.items():
        got[f"map {name}"] = answer(client.get("/api/map/reports.geojson", query))
    base = f"/api/reports/{report.tracking_code}"
    for name, (path, body) in BODIES.items():
        sent = json.dumps(body)
        got[name] = answer(reporter.post(f"{base}/{path}/", sent, content_type="application/json"))
    got.update(multipart_answers(reporter, f"{base}/comments/"))
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
