"""GET /api/search/ and /cari/: what every hostile query is answered, as recorded.

The record was made from the hand-written parser that the search serializer replaced;
``GEO_KLIK_RECORD=1`` rewrites it (only when a message is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

from tests.conftest import TinyCity

RECORD = Path(__file__).with_name("search_error_bodies.json")

QUERIES: dict[str, dict[str, str]] = {
    "nothing": {},
    "text": {"q": "  sampah   pasar "},
    "near": {"lat": "-0.005", "lon": "100.005"},
    "every option": {
        "q": "pasar",
        "lat": "-0.005",
        "lon": "100.005",
        "radius_m": "250.5",
        "area": "klik,business",
        "limit": "7",
    },
    "q long": {"q": "x" * 101},
    "q NUL": {"q": "a\x00b"},
    "lat only": {"lat": "1"},
    "lon only": {"lon": "1"},
    "lat NaN": {"lat": "NaN", "lon": "1"},
    "lat huge": {"lat": "1" + "0" * 400, "lon": "1"},
    "lon out of range": {"lat": "1", "lon": "-181"},
    "radius text": {"q": "a", "radius_m": "jauh"},
    "radius NaN": {"q": "a", "radius_m": "nan"},
    "radius infinite": {"q": "a", "radius_m": "inf"},
    "radius small": {"q": "a", "radius_m": "49"},
    "radius large": {"q": "a", "radius_m": "10001"},
    "limit zero": {"q": "a", "limit": "0"},
    "limit float": {"q": "a", "limit": "2.9"},
    "limit large": {"q": "a", "limit": "51"},
    "limit huge": {"q": "a", "limit": "9" * 400},
    "area unknown": {"q": "a", "area": "klik,mars,,venus"},
    "area empty items": {"q": "a", "area": ",,"},
    "everything wrong": {
        "q": "y" * 200,
        "lat": "x",
        "lon": "y",
        "radius_m": "0",
        "limit": "-1",
        "area": "x",
    },
}


def test_it_answers_every_hostile_search_exactly_as_recorded(
    client: Client, tiny_city: TinyCity
) -> None:
    got: dict[str, Any] = {}
    for name, query in QUERIES.items():
        response = client.get("/api/search/", query)
        body = response.json()
        got[f"api {name}"] = {
            "status": response.status_code,
            "errors": body.get("errors"),
            "query": body.get("query"),
        }
        page = client.get("/cari/", query)
        context = page.context  # None when refused before the view (NUL in the query)
        got[f"page {name}"] = {
            "status": page.status_code,
            "problems": [str(p) for p in context["problems"]] if context else None,
            "searched": context["searched"] if context else None,
        }
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
