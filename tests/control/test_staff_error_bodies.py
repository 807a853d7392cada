"""The staff API (workflow steps, unit updates, token, audit): every answer to hostile input.

The record was made from the hand-written input helpers of ``control/api.py`` (``_text``,
``_agency``, ``_ids``, ``_photo``, ``_accuracy``, the lat/lon parsing) before the per-step
serializers of ``control/checks.py`` replaced them; ``GEO_KLIK_RECORD=1`` rewrites it (only when
a message is meant to change). Each case runs in a savepoint that is rolled back, so every case
meets the same report, unit and claim. A case the old helpers answered with a server error is in
``CRASHED`` instead (see test_staff_checks.py), never recorded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from geo_klik.reports.models import Report
from tests.personas import PASSWORD, Personas
from tests.reports.test_follow_up import a_photo

pytestmark = pytest.mark.usefixtures("no_failed_logins")

RECORD = Path(__file__).with_name("staff_error_bodies.json")
BIG = "x" * (10 * 1024 * 1024)
HUGE = 10**400
UNKNOWN = 999_999_999

# name -> (step, JSON text). "{other_unit}"/"{other_report}"/"{unit}"/"{target}" are filled in.
TEXTS: dict[str, Any] = {
    "missing": {},
    "blank": " ",
    "number": 5,
    "boolean": True,
    "list": ["a"],
    "object": {"a": 1},
    "null": None,
    "surrogate": "a\ud800",
    "nul": "a\x00",
}


def step_bodies(ids: dict[str, int]) -> dict[str, tuple[str, str]]:
    cases: dict[str, tuple[str, str]] = {}

    def add(name: str, step: str, body: Any) -> None:
        cases[name] = (step, body if isinstance(body, str) else json.dumps(body))

    for step, field in (("resolve", "note"), ("reject", "reason"), ("close", "note")):
        for name, value in TEXTS.items():
            add(f"{step} {field} {name}", step, {} if name == "missing" else {field: value})
    add("reject reason 10 MB", "reject", {"reason": BIG})
    add("resolve note 10 MB", "resolve", {"note": BIG})
    for name, body in {
        "nothing": {},
        "empty list": {"units": []},
        "blank": {"units": ""},
        "text id": {"units": str(ids["unit"])},
        "text junk": {"units": "1,2"},
        "float": {"units": [0.5]},  # int(0.5): never an id, whatever the sequences
        "boolean": {"units": [False]},
        "NaN text": {"units": ["NaN"]},
        "huge": {"units": [HUGE]},
        "huge text": {"units": ["1" * 400]},
        "object": {"units": {"a": 1}},
        "nested": {"units": [[ids["unit"]]]},
        "null item": {"units": [None, ""]},
        "unknown": {"units": [UNKNOWN]},
        "negative": {"units": [-1]},
        "other agency's": {"units": [ids["other_unit"]]},
        "repeated": {"units": [ids["unit"], ids["unit"]]},
    }.items():
        add(f"dispatch units {name}", "dispatch", body)
    for name, body in {
        "nothing": {},
        "reason missing": {"agency": "polsek-timur"},
        "unknown": {"agency": "ufo", "reason": "r"},
        "blank": {"agency": "", "reason": "r"},
        "number": {"agency": 5, "reason": "r"},
        "zero": {"agency": 0, "reason": "r"},
        "list": {"agency": ["polsek-timur"], "reason": "r"},
        "object": {"agency": {"code": "polsek-timur"}, "reason": "r"},
        "own": {"agency": "dinas-pupr", "reason": "r"},
        "10 MB": {"agency": BIG, "reason": "r"},
        "reason list": {"agency": "polsek-timur", "reason": ["r"]},
        "unknown and no reason": {"agency": "ufo"},
    }.items():
        add(f"transfer {name}", "transfer", body)
    for name, body in {
        "nothing": {},
        "itself": {"into": ids["report"]},
        "unknown": {"into": UNKNOWN},
        "other agency's": {"into": ids["other_report"]},
        "text": {"into": "abc"},
        "text id": {"into": str(ids["target"]), "note": 3},
        "list": {"into": [ids["target"], UNKNOWN]},
        "float": {"into": 0.5},
        "huge": {"into": HUGE},
        "huge text": {"into": "9" * 400},
        "object": {"into": {"id": 1}},
        "null": {"into": None},
        "zero": {"into": 0},
    }.items():
        add(f"merge {name}", "merge", body)
    for step in ("acknowledge", "arrive", "dispatch", "reject", "merge"):
        add(f"{step} NaN body", step, '{"units": NaN, "reason": NaN, "into": NaN}')
        add(f"{step} broken JSON", step, '{"reason": ')
    for step in ("acknowledge", "arrive"):
        add(f"{step} list body", step, [1])
        add(f"{step} text body", step, "x")
        add(f"{step} null body", step, None)
    return cases


UNIT_BODIES: dict[str, Any] = {
    "nothing": {},
    "valid position": {"lat": -0.007, "lon": 100.007, "accuracy_m": 8},
    "valid status": {"status": "en_route"},
    "lat only": {"lat": -0.007},
    "lon only": {"lon": 100.007},
    "lat null": {"lat": None, "status": "available"},
    "text": {"lat": "utara", "lon": "1,5"},
    "numeric text": {"lat": "-0.007", "lon": " 100.007 ", "accuracy_m": "8"},
    "NaN text": {"lat": "NaN", "lon": "inf"},
    "1e999 text": {"lat": "1e999", "lon": "-1e999"},
    "huge": {"lat": HUGE, "lon": 100},
    "huge lon": {"lat": 0, "lon": HUGE},
    "huge text": {"lat": "1" * 400, "lon": "1"},
    "out of range": {"lat": -91, "lon": 181},
    "boolean": {"lat": True, "lon": False},
    "list": {"lat": [0], "lon": [100]},
    "object": {"lat": {"v": 0}, "lon": 100},
    "10 MB": {"lat": BIG, "lon": 100},
    "accuracy negative": {"lat": 0, "lon": 100, "accuracy_m": -1},
    "accuracy huge": {"lat": 0, "lon": 100, "accuracy_m": HUGE},
    "accuracy huge negative": {"lat": 0, "lon": 100, "accuracy_m": -HUGE},
    "accuracy over": {"lat": 0, "lon": 100, "accuracy_m": 100_001},
    "accuracy NaN text": {"lat": 0, "lon": 100, "accuracy_m": "nan"},
    "accuracy text": {"lat": 0, "lon": 100, "accuracy_m": "dekat"},
    "accuracy list": {"lat": 0, "lon": 100, "accuracy_m": [3]},
    "accuracy boolean": {"lat": 0, "lon": 100, "accuracy_m": True},
    "accuracy blank": {"lat": 0, "lon": 100, "accuracy_m": ""},
    "accuracy without position": {"accuracy_m": -5, "status": "available"},
    "bad lat and accuracy": {"lat": 99, "lon": 100, "accuracy_m": -1},
    "status unknown": {"status": "flying"},
    "status dispatched": {"status": "dispatched"},
    "status number": {"status": 1},
    "status list": {"status": ["available"]},
    "status null": {"status": None},
    "status 10 MB": {"status": BIG},
    "status surrogate": {"status": "a\ud800"},
    "status nul": {"status": "a\x00"},
    "bad position and status": {"lat": 99, "lon": 100, "status": "flying"},
}

TOKEN_BODIES: dict[str, Any] = {
    "nothing": {},
    "wrong password": {"username": "pupr", "password": "x"},
    "unknown user": {"username": "nobody", "password": "x"},
    "lists": {"username": ["pupr"], "password": [PASSWORD]},
    "numbers": {"username": 5, "password": 5},
    "objects": {"username": {"a": 1}, "password": None},
    "10 MB": {"username": BIG, "password": BIG},
    "surrogate": {"username": "a\ud800", "password": "x"},
    "nul": {"username": "a\x00", "password": "x"},
    "password nul": {"username": "outsider", "password": "a\x00"},
}

AUDIT_QUERIES: dict[str, str] = {
    "junk": "?object_id=abc",
    "long": "?object_id=" + "9" * 500,
    "repeated": "?object_id=1&object_id=2",
    "blank": "?object_id=",
}

# Answered with a server error by the hand-written helpers: checked in test_staff_checks.py.
CRASHED = frozenset({"unit accuracy huge", "unit accuracy huge negative"})


def answer(response: Any) -> dict[str, Any]:
    try:
        errors = response.json().get("errors")
    except ValueError:
        errors = "not JSON"
    return {"status": response.status_code, "errors": errors}


def rolled_back(send: Any, *args: Any, **kwargs: Any) -> Any:
    """``send(*args, **kwargs)`` in a savepoint that is then rolled back."""
    with transaction.atomic():
        response = send(*args, **kwargs)
        transaction.set_rollback(True)
    return response


def client_of(user: Any | None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


def all_answers(personas: Personas, ids: dict[str, int], skip: frozenset[str]) -> dict[str, Any]:
    pupr = client_of(personas.pupr)
    json_type = "application/json"
    got: dict[str, Any] = {}
    for name, (step, body) in step_bodies(ids).items():
        if name in skip:
            continue
        report = {"close": ids["done"], "acknowledge": ids["target"]}.get(step, ids["report"])
        url = f"/api/staff/reports/{report}/{step}/"
        got[name] = answer(rolled_back(pupr.post, url, body, content_type=json_type))
    for name, (step, form) in multipart_cases(ids).items():
        url = f"/api/staff/reports/{ids['report']}/{step}/"
        got[name] = answer(rolled_back(pupr.post, url, form, format="multipart"))
    unit_url = f"/api/staff/units/{ids['unit']}/"
    for name, body in UNIT_BODIES.items():
        if f"unit {name}" in skip:
            continue
        sent = json.dumps(body)
        got[f"unit {name}"] = answer(rolled_back(pupr.post, unit_url, sent, content_type=json_type))
    for name, unit in {"other agency's": ids["other_unit"], "unknown": UNKNOWN}.items():
        url = f"/api/staff/units/{unit}/"
        got[f"unit {name}"] = answer(
            rolled_back(pupr.post, url, {"status": "available"}, format="json")
        )
    form = {"lat": ["1", "x"], "lon": "100", "accuracy_m": "5"}
    got["unit form"] = answer(rolled_back(pupr.post, unit_url, form, format="multipart"))
    anonymous = client_of(None)
    for name, body in TOKEN_BODIES.items():
        sent = json.dumps(body)
        got[f"token {name}"] = answer(
            rolled_back(anonymous.post, "/api/staff/auth/token/", sent, content_type=json_type)
        )
    supervisor = client_of(personas.supervisor)
    for name, query in AUDIT_QUERIES.items():
        got[f"audit {name}"] = answer(supervisor.get(f"/api/staff/audit/{query}"))
    return got


def multipart_cases(ids: dict[str, int]) -> dict[str, tuple[str, dict[str, Any]]]:
    too_big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    return {
        "resolve photo not an image": (
            "resolve",
            {"note": "ok", "photo": SimpleUploadedFile("p.jpg", b"nope")},
        ),
        "resolve photo text": ("resolve", {"note": "ok", "photo": "not a file"}),
        "resolve photo too large": ("resolve", {"note": "ok", "photo": too_big}),
        "resolve photo empty": ("resolve", {"note": "ok", "photo": SimpleUploadedFile("p", b"")}),
        "resolve photo no note": ("resolve", {"photo": SimpleUploadedFile("p.jpg", b"nope")}),
        "resolve photo valid": ("resolve", {"note": "ok", "photo": a_photo()}),
        "resolve two photos": ("resolve", {"note": "ok", "photo": [a_photo(), a_photo()]}),
        "resolve photo elsewhere": ("resolve", {"note": "ok", "photos": a_photo()}),
        "dispatch units form": ("dispatch", {"units": [str(ids["unit"]), ""]}),
        "dispatch units form junk": ("dispatch", {"units": [str(ids["unit"]), "x"]}),
        "transfer form": ("transfer", {"agency": "polsek-timur", "reason": "salah"}),
        "merge form": ("merge", {"into": [str(ids["target"]), "x"]}),
        "merge form first": ("merge", {"into": [str(ids["target"]), str(UNKNOWN)]}),
        "reject form repeated": ("reject", {"reason": ["", "salah"]}),
        "reject form blank": ("reject", {"reason": ["salah", " "]}),
    }


def test_it_answers_every_hostile_staff_request_exactly_as_recorded(
    personas: Personas, staff_world: dict[str, int]
) -> None:
    got = all_answers(personas, staff_world, CRASHED)
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
    assert Report.objects.get(pk=staff_world["report"]).status == Report.Status.ACKNOWLEDGED
