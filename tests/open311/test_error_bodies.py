"""Open311: what every hostile GET and POST requests.<fmt> is answered, as recorded.

GeoReport v2 clients parse these error arrays, so the checks' move to serializers must not
change a byte. The record was made from the hand-written parameter parser they replaced;
``GEO_KLIK_RECORD=1`` rewrites it (only when a message is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

from tests.open311.conftest import BASE, OUTSIDE, Post

RECORD = Path(__file__).with_name("error_bodies.json")

GETS: dict[str, dict[str, str]] = {
    "nothing": {},
    "jurisdiction": {"jurisdiction_id": "ContohKota.go.id "},
    "other jurisdiction": {"jurisdiction_id": "padang.go.id"},
    "ids": {"service_request_id": " klik-0001 ,, x, KLIK-OOO1"},
    "status": {"status": "open,CLOSED"},
    "status unknown": {"status": "open,pending"},
    "start only": {"start_date": "2026-11-05T08:15:30+07:00"},
    "end only": {"end_date": "2026-11-05T08:15Z"},
    "range": {"start_date": "2026-10-01T00:00:00Z", "end_date": "2026-11-01T00:00:00.5+07:00"},
    "range reversed": {"start_date": "2026-11-01T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"},
    "range too long": {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"},
    "date without zone": {"start_date": "2026-11-05T08:15:30"},
    "date impossible": {"start_date": "2026-02-30T08:15:30Z"},
    "date long": {"end_date": "2" * 41},
    "date junk": {"start_date": "yesterday"},
    "page": {"page": "2", "page_size": "10"},
    "page zero": {"page": "0"},
    "page huge": {"page": "9" * 12},
    "page too long": {"page": "9" * 13},
    "page size big": {"page_size": "1001"},
    "page size negative": {"page_size": "-5"},
    "page size unicode digits": {"page_size": "\u0661\u0662"},
    "ids too long": {"service_request_id": "x" * 20_001},
    "everything wrong": {
        "status": "x",
        "start_date": "x",
        "page": "x",
        "service_request_id": "y" * 20_001,
    },
}

POSTS: dict[str, dict[str, Any]] = {
    "valid": {},
    "no service": {"service_code": None},
    "blank service": {"service_code": "  "},
    "unknown service": {"service_code": "ufo"},
    "service long": {"service_code": "s" * 41},
    "no position": {"lat": None, "long": None},
    "address only": {"lat": None, "long": None, "address_string": "Jl. Sudirman"},
    "address id only": {"lat": None, "long": None, "address_id": "12"},
    "lat only": {"long": None},
    "long only": {"lat": None},
    "long junk": {"long": "timur"},
    "long out of range": {"long": "181"},
    "lat NaN": {"lat": "NaN"},
    "lat huge": {"lat": "1" + "0" * 400},
    "outside": {"lat": str(OUTSIDE[0]), "long": str(OUTSIDE[1])},
    "names": {"first_name": " Siti ", "last_name": "Rahma"},
    "name long": {"first_name": "n" * 101},
    "names joined long": {"first_name": "n" * 90, "last_name": "m" * 90},
    "description long": {"description": "d" * 4001},
    "email invalid": {"email": "siti@"},
    "email long": {"email": "e" * 255},
    "phone long": {"phone": "1" * 31},
    "media url ftp": {"media_url": "ftp://example.id/a.jpg"},
    "media url junk": {"media_url": "not a url"},
    "media url long": {"media_url": "https://example.id/" + "a" * 1000},
    "address long": {"address_string": "a" * 301},
    "device long": {"device_id": "d" * 101},
    "account long": {"account_id": "a" * 101},
    "jurisdiction": {"jurisdiction_id": "contohkota.go.id"},
    "other jurisdiction": {"jurisdiction_id": "padang.go.id"},
    "no key": {"api_key": None},
    "bad key": {"api_key": "nope"},
    "everything wrong": {
        "service_code": None,
        "lat": "x",
        "first_name": "n" * 101,
        "email": "x",
        "media_url": "x",
    },
}


def answer(response: Any) -> dict[str, Any]:
    return {"status": response.status_code, "body": response.content.decode()}


def test_it_answers_every_hostile_request_exactly_as_recorded(
    client: Client, post_request: Post
) -> None:
    got: dict[str, Any] = {}
    for name, query in GETS.items():
        for fmt in ("json", "xml"):
            got[f"GET {fmt} {name}"] = answer(client.get(f"{BASE}/requests.{fmt}", query))
    for name, fields in POSTS.items():
        response = post_request("json", **fields)
        got[f"POST json {name}"] = {"status": response.status_code}
        if response.status_code != 201:
            got[f"POST json {name}"] = answer(response)
    got["POST xml everything wrong"] = answer(post_request("xml", **POSTS["everything wrong"]))
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
