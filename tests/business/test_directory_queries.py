"""/usaha/ and /api/businesses/ answer every query (q, category, open_now) exactly as recorded.

The record was made from the hand parsers in ``business.views`` and ``business.api`` before
``forms.DirectoryQueryForm`` and ``params.DirectoryQuerySerializer`` replaced them;
``GEO_KLIK_RECORD=1`` rewrites it (only when an answer is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.business.conftest import WEEKEND_ONLY, MakeBusiness

RECORD = Path(__file__).with_name("directory_queries.json")
pytestmark = pytest.mark.usefixtures("clock")

QUERIES: dict[str, dict[str, Any]] = {
    "nothing": {},
    "text": {"q": "  kopi "},
    "text long": {"q": "k" * 150},
    "category": {"category": "bordir"},
    "category padded": {"category": " bordir "},
    "category unknown": {"category": "mars"},
    "open": {"open_now": "1"},
    "open true": {"open_now": "true"},
    "open ya": {"open_now": "ya"},
    "open zero": {"open_now": "0"},
    "open blank": {"open_now": ""},
    "open padded": {"open_now": " 1 "},
    "open upper": {"open_now": "YES"},
    "open word": {"open_now": "sometimes"},
    "page": {"page": "2"},
    "page text": {"page": "x", "q": "kopi"},
    "everything": {"q": "a", "category": "kuliner", "open_now": "1", "page": "1"},
    "repeated": {"category": ["mars", "bordir"], "open_now": ["x", "1"]},
}


def test_it_answers_every_directory_query_exactly_as_recorded(
    client: Client, make_business: MakeBusiness
) -> None:
    make_business("Kopi Ambun")
    make_business("Bordir Ema", category="bordir")
    make_business("Akhir Pekan", hours=WEEKEND_ONLY)
    got: dict[str, Any] = {}
    for name, query in QUERIES.items():
        page = client.get("/usaha/", query)
        context = page.context
        got[f"page {name}"] = {
            "status": page.status_code,
            "q": context["q"],
            "category": context["category"],
            "open_now": context["open_now"],
            "count": context["count"],
            "entries": [b.name for b, _ in context["entries"]],
            "query": context["query"],
        }
        answer = client.get("/api/businesses/", query)
        body = answer.json()
        got[f"api {name}"] = {
            "status": answer.status_code,
            "errors": body.get("errors"),
            "names": sorted(f["properties"]["title"] for f in body.get("features", [])),
        }
        promotions = client.get(
            "/api/businesses/promotions/", {**query, "current": query.get("open_now", "")}
        )
        got[f"api promotions {name}"] = {
            "status": promotions.status_code,
            "errors": promotions.json().get("errors"),
        }
    for kind in ("event", "promotion", "mars", " event "):
        answer = client.get("/api/businesses/promotions/", {"kind": kind})
        got[f"api promotions kind {kind}"] = {
            "status": answer.status_code,
            "errors": answer.json().get("errors"),
        }
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
