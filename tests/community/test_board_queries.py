"""The boards' query (jenis, lat, lon, kelurahan) is answered exactly as recorded.

The record was made from the hand parser in ``community.views`` before ``BoardQueryForm``
replaced it; ``GEO_KLIK_RECORD=1`` rewrites it (only when an answer is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

from geo_klik.community.models import Post
from tests.community.conftest import BARAT, TIMUR, MakePost, People

RECORD = Path(__file__).with_name("board_queries.json")

QUERIES: dict[str, dict[str, Any]] = {
    "nothing": {},
    "posts": {"jenis": "post"},
    "events": {"jenis": "event"},
    "kind unknown": {"jenis": "mars"},
    "kind padded": {"jenis": " event "},
    "near": {"lat": str(BARAT[0]), "lon": str(BARAT[1])},
    "near padded": {"lat": f" {BARAT[0]} ", "lon": f" {BARAT[1]} "},
    "lat only": {"lat": "-0.005"},
    "lat text": {"lat": "x", "lon": "100.005"},
    "lat NaN": {"lat": "nan", "lon": "100.005"},
    "lat huge": {"lat": "9" * 400, "lon": "100.005"},
    "lon out of range": {"lat": "0", "lon": "181"},
    "blank point": {"lat": " ", "lon": " "},
    "repeated": {"jenis": ["mars", "event"], "lat": ["x", str(BARAT[0])], "lon": str(BARAT[1])},
    "page text": {"halaman": "x"},
}


def test_it_answers_every_board_query_exactly_as_recorded(
    client: Client, people: People, make_post: MakePost
) -> None:
    make_post(people.alice, title="Dekat", at=BARAT)
    make_post(people.bob, title="Jauh", at=TIMUR)
    make_post(people.carol, title="Acara", kind=Post.Kind.EVENT)
    got: dict[str, Any] = {}
    for name, query in QUERIES.items():
        for where in ("/komunitas/", "/komunitas/kelurahan/99.01.01.1001/"):
            page = client.get(where, query)
            context = page.context
            got[f"{where} {name}"] = {
                "status": page.status_code,
                "kind": context["kind"],
                "near": [p.title for p in context["near"]] if context["near"] is not None else None,
                "posts": [p.title for p in context["posts"]],
                "events": [p.title for p in context["events"]],
            }
    for query in (
        {"kelurahan": "99.01.02.1001", "jenis": "event"},
        {"kelurahan": "x"},
        {"kelurahan": " "},
    ):
        answer = client.get("/komunitas/", query)
        got[f"redirect {query}"] = {"status": answer.status_code, "to": answer.get("Location")}
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name


def test_it_answers_a_kelurahan_code_that_cannot_be_a_path_with_not_found(db: None) -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/komunitas/", {"kelurahan": "a/b"}).status_code == 404
    answer = client.get("/komunitas/", {"kelurahan": "x", "jenis": "event&halaman=9"})
    assert answer["Location"] == "/komunitas/kelurahan/x/?jenis=event%26halaman%3D9"
