"""The business API's and pages' refusals to every hostile input, exactly as recorded.

The record was made from the hand parser inside ``business.actions`` that the serializers of
``business.checks`` replaced; ``GEO_KLIK_RECORD=1`` rewrites it (only when a message is meant to
change). Answers are replayed in order on one database: later cases see earlier claims.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.business.conftest import MakeBusiness, People

RECORD = Path(__file__).with_name("error_bodies.json")
pytestmark = pytest.mark.usefixtures("clock")

FUTURE = {"starts_at": "2030-01-01T09:00", "ends_at": "2030-01-10T17:00"}
CLAIMS: dict[str, Any] = {
    "nothing": {},
    "blank": {"message": "  ", "contact_phone": " "},
    "phone letters": {"message": "NIB 123", "contact_phone": "abc"},
    "phone short": {"message": "NIB 123", "contact_phone": "0812"},
    "not text": {"message": 5, "contact_phone": ["0812 3456 7890"]},
    "list body": ["message"],
    "string body": "message",
    "fine": {"message": "  NIB 123, saya pemilik ", "contact_phone": " 0812 3456 7890 "},
    "again": {"message": "NIB 123", "contact_phone": "0812 3456 7890"},
}
REVISIONS: dict[str, Any] = {
    "nothing": {},
    "unknown field": {"slug": "x", "name": "Baru"},
    "two unknown fields": {"zeta": 1, "alpha": 2},
    "name blank": {"name": "  "},
    "name long": {"name": "x" * 121},
    "name number": {"name": 5},
    "name list": {"name": ["a"]},
    "category unknown": {"category": "mars"},
    "category number": {"category": 3},
    "location text": {"location": "-0.005,100.005"},
    "location lat text": {"location": {"lat": "x", "lon": 100.005}},
    "location lon missing": {"location": {"lat": -0.005}},
    "location NaN": {"location": {"lat": "NaN", "lon": 100.005}},
    "location huge": {"location": {"lat": 10**400, "lon": 100.005}},
    "location out of range": {"location": {"lat": -91, "lon": 100.005}},
    "location outside city": {"location": {"lat": -0.5, "lon": 100.5}},
    "phone letters": {"phone": "telepon"},
    "whatsapp long": {"whatsapp": "0" * 31},
    "email bad": {"email": "siti@"},
    "email long": {"email": "a" * 250 + "@b.id"},
    "website bad": {"website": "http://"},
    "website ftp": {"website": "ftp://example.com"},
    "description long": {"description_id": "x" * 2001},
    "address long": {"address": "x" * 251},
    "hours text": {"opening_hours": "09:00-17:00"},
    "hours bad day": {"opening_hours": [{"days": [9], "opens": "09:00", "closes": "17:00"}]},
    "hours bad time": {"opening_hours": [{"days": [1], "opens": "25:00", "closes": "17:00"}]},
    "everything wrong": {
        "name": "",
        "category": "x",
        "location": {"lat": 1000, "lon": "y"},
        "phone": "p",
        "email": "e",
        "website": "w w",
        "opening_hours": 5,
    },
    "unchanged": {"name": "Nasi Kapau Uni Ros", "category": "kuliner"},
    "list body": [{"name": "x"}],
    "fine": {"name": "  Nasi Kapau Uni Ros 2 ", "website": "example.com", "phone": "0752 21 000"},
}
PROMOTIONS: dict[str, Any] = {
    "nothing": {},
    "kind unknown": {"kind": "diskon", "title_id": "Diskon", **FUTURE},
    "title blank": {"title_id": "  ", **FUTURE},
    "title long": {"title_id": "x" * 151, "title_en": "y" * 151, **FUTURE},
    "title number": {"title_id": 5, **FUTURE},
    "body long": {"title_id": "a", "body_id": "x" * 2001, **FUTURE},
    "starts text": {"title_id": "a", "starts_at": "besok", "ends_at": "lusa"},
    "starts number": {"title_id": "a", "starts_at": 5, "ends_at": FUTURE["ends_at"]},
    "starts missing": {"title_id": "a", "ends_at": FUTURE["ends_at"]},
    "ends missing": {"title_id": "a", "starts_at": FUTURE["starts_at"]},
    "ends before starts": {"title_id": "a", "starts_at": "2030-01-10", "ends_at": "2030-01-01"},
    "ends in past": {"title_id": "a", "starts_at": "2020-01-01", "ends_at": "2020-01-02"},
    "too long": {"title_id": "a", "starts_at": "2030-01-01", "ends_at": "2031-06-01"},
    "lat only": {"title_id": "a", "lat": "-0.005", **FUTURE},
    "lat text": {"title_id": "a", "lat": "x", "lon": "100.005", **FUTURE},
    "lat NaN": {"title_id": "a", "lat": "nan", "lon": "100.005", **FUTURE},
    "outside city": {"title_id": "a", "lat": -0.5, "lon": 100.5, **FUTURE},
    "everything wrong": {"kind": "x", "title_id": "", "starts_at": "2030-01-02", "lat": "q"},
    "list body": [1],
    "fine": {"title_id": " Diskon ", "kind": "event", "lat": -0.005, "lon": 100.015, **FUTURE},
}
PROPOSAL_PAGE: dict[str, dict[str, str]] = {
    "nothing": {},
    "fine but phone": {"name": "Kopi", "category": "kuliner", "phone": "abc"},
    "email and website": {"name": "Kopi", "category": "kuliner", "email": "x@", "website": "a b"},
    "outside city": {"name": "Kopi", "category": "kuliner", "lat": "-0.5", "lon": "100.5"},
    "half hours": {"name": "Kopi", "category": "kuliner", "day0_opens": "09:00"},
    "same hours": {
        "name": "Kopi",
        "category": "kuliner",
        "day0_opens": "09:00",
        "day0_closes": "09:00",
    },
    "long name": {"name": "x" * 121, "category": "mars", "lat": "x", "lon": "200"},
}
CLAIM_PAGE: dict[str, dict[str, str]] = {
    "nothing": {},
    "bad phone": {"message": "NIB 1", "contact_phone": "abc"},
    "blank": {"message": "   ", "contact_phone": "   "},
}
REVISION_PAGE: dict[str, dict[str, str]] = {
    "bad phone": {"phone": "abc"},
    "bad website": {"website": "http://"},
    "unchanged": {},
    "outside city": {"lat": "-0.5", "lon": "100.5"},
}
PROMOTION_PAGE: dict[str, dict[str, str]] = {
    "nothing": {},
    "ends before": {"starts_at": "2030-01-10T09:00", "ends_at": "2030-01-01T09:00"},
    "in past": {"starts_at": "2020-01-01T09:00", "ends_at": "2020-01-02T09:00"},
    "too long": {"starts_at": "2030-01-01T09:00", "ends_at": "2031-06-01T09:00"},
    "outside city": {"lat": "-0.5", "lon": "100.5"},
    "lat only": {"lat": "-0.005"},
    "blank title": {"title_id": "   "},
}


def api_answers(people: People, make_business: MakeBusiness) -> dict[str, Any]:
    got: dict[str, Any] = {}
    unowned = make_business("Nasi Kapau Uni Ros")
    owned = make_business("Nasi Kapau Uni Ros", owner=people.resident2)
    client, stranger = people.api(people.resident), people.api(people.resident3)
    for name, body in CLAIMS.items():
        got[f"claim {name}"] = answer(client.post(url(unowned, "claim"), body, format="json"))
        got[f"claim owned {name}"] = answer(client.post(url(owned, "claim"), body, format="json"))
    numbers = {"message": 12345, "contact_phone": 81234567890}
    got["claim numbers"] = answer(stranger.post(url(unowned, "claim"), numbers, format="json"))
    got["claim anonymous"] = answer(people.api(None).post(url(unowned, "claim"), {}, format="json"))
    got["claim form"] = answer(client.post(url(owned, "claim"), {"message": "m"}))
    owner = people.api(people.resident2)
    for name, body in REVISIONS.items():
        got[f"revision {name}"] = answer(owner.post(url(owned, "revisions"), body, format="json"))
        got[f"revision stranger {name}"] = answer(
            stranger.post(url(owned, "revisions"), body, format="json")
        )
    got["revision form"] = answer(owner.post(url(owned, "revisions"), {"name": "", "phone": "x"}))
    for name, body in PROMOTIONS.items():
        got[f"promotion {name}"] = answer(owner.post(url(owned, "promotions"), body, format="json"))
        got[f"promotion stranger {name}"] = answer(
            stranger.post(url(owned, "promotions"), body, format="json")
        )
    got["promotion form"] = answer(owner.post(url(owned, "promotions"), {"lat": "x"}))
    return got


def url(business: Any, what: str) -> str:
    return f"/api/businesses/{business.slug}/{what}/"


def answer(response: Any) -> dict[str, Any]:
    body = response.json()
    if isinstance(body, dict):
        body.pop("id", None)
    return {"status": response.status_code, "body": body}


def page_answers(people: People, make_business: MakeBusiness) -> dict[str, Any]:
    got: dict[str, Any] = {}
    owned = make_business("Sate Mak Syukur", owner=people.resident2)
    unowned = make_business("Kopi Ambun")
    listing = {"lat": "-0.005", "lon": "100.005"}
    promotion = {
        "kind": "promotion",
        "title_id": "Diskon",
        **dict(zip(FUTURE, ("2030-01-01T09:00", "2030-01-10T17:00"), strict=True)),
    }
    current = {
        "name": "Sate Mak Syukur",
        "category": "kuliner",
        **listing,
        **{
            f"day{d}_{e}": t for d in range(5) for e, t in (("opens", "09:00"), ("closes", "17:00"))
        },
    }
    for language in ("id", "en"):
        resident, owner = Client(), Client()
        resident.force_login(people.resident)  # type: ignore[arg-type]
        owner.force_login(people.resident2)  # type: ignore[arg-type]
        for client in (resident, owner):
            client.post("/i18n/setlang/", {"language": language, "next": "/usaha/"})
        for name, data in PROPOSAL_PAGE.items():
            got[f"{language} propose {name}"] = errors_of(
                resident.post("/usaha/baru/", {**listing, **data})
            )
        for name, data in CLAIM_PAGE.items():
            got[f"{language} claim {name}"] = errors_of(
                resident.post(f"/usaha/{unowned.slug}/klaim/", data)
            )
        for name, data in REVISION_PAGE.items():
            got[f"{language} revise {name}"] = errors_of(
                owner.post(f"/usaha/{owned.slug}/ubah/", {**current, **data})
            )
        for name, data in PROMOTION_PAGE.items():
            body = {**promotion, **data} if data else {}
            got[f"{language} promote {name}"] = errors_of(
                owner.post(f"/usaha/{owned.slug}/promosi/baru/", body)
            )
    return got


def errors_of(response: Any) -> dict[str, Any]:
    form = response.context["form"] if response.context else None
    return {
        "status": response.status_code,
        "errors": {k: list(v) for k, v in form.errors.items()} if form is not None else None,
    }


def test_it_answers_every_hostile_input_exactly_as_recorded(
    people: People, make_business: MakeBusiness
) -> None:
    got = {**api_answers(people, make_business), **page_answers(people, make_business)}
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
