"""/info/'s query (kategori, q, lat, lon) is answered exactly as recorded, in both languages.

The record was made from the hand parser in ``information.views`` before ``PlaceQueryForm``
replaced it; ``GEO_KLIK_RECORD=1`` rewrites it (only when an answer is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

from tests.information.conftest import MakePlace

RECORD = Path(__file__).with_name("page_queries.json")

QUERIES: dict[str, dict[str, Any]] = {
    "nothing": {},
    "category": {"kategori": "health"},
    "category unknown": {"kategori": "mars"},
    "category blank": {"kategori": ""},
    "text": {"q": "  pasar  "},
    "text long": {"q": "p" * 150},
    "near": {"lat": "-0.005", "lon": "100.005"},
    "near padded": {"lat": " -0.005 ", "lon": " 100.005 "},
    "lat only": {"lat": "-0.005"},
    "lon only": {"lon": "100.005"},
    "lat text": {"lat": "x", "lon": "100.005"},
    "lat NaN": {"lat": "nan", "lon": "100.005"},
    "lat huge": {"lat": "9" * 400, "lon": "100.005"},
    "lon out of range": {"lat": "0", "lon": "181"},
    "blank point": {"lat": " ", "lon": " "},
    "everything wrong": {"kategori": "x", "q": "  ", "lat": "a", "lon": "b"},
    "repeated": {"kategori": ["mars", "health"], "lat": ["x", "-0.005"], "lon": "100.005"},
}


def test_it_answers_every_query_exactly_as_recorded(client: Client, make_place: MakePlace) -> None:
    make_place("pasar-atas", name="Pasar Atas")
    make_place("rsud", -0.015, 100.015, category="health", name="RSUD")
    got: dict[str, Any] = {}
    for language in ("id", "en"):
        for name, query in QUERIES.items():
            page = client.get("/info/", query, HTTP_ACCEPT_LANGUAGE=language)
            context = page.context
            got[f"{language} {name}"] = {
                "status": page.status_code,
                "problems": [str(p) for p in context["problems"]],
                "category": context["category"],
                "text": context["text"],
                "position": list(context["position"]) if context["position"] else None,
                "filtered": context["filtered"],
                "places": [r["place"].slug for r in context["rows"]],
            }
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
