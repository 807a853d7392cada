"""The moderators' API answers every reason and confirm_stale exactly as recorded.

The record was made from the views' hand-read body before ``inputs.ModerationSerializer`` read
it; ``GEO_KLIK_RECORD=1`` rewrites it (only when an answer is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from geo_klik.business import actions, inputs
from geo_klik.business.models import Business
from tests.business.conftest import MakeBusiness, People

RECORD = Path(__file__).with_name("moderation_bodies.json")
pytestmark = pytest.mark.usefixtures("clock")

REASONS: dict[str, Any] = {
    "nothing": {},
    "blank": {"reason": "   "},
    "number": {"reason": 5},
    "zero": {"reason": 0},
    "list": {"reason": ["iklan"]},
    "long": {"reason": "r" * 600},
    "list body": ["reason"],
}
CONFIRMS: list[Any] = ["1", "true", "ya", "YES", "no", "", 1, True, False, "maybe", ["1"], None]


def test_it_answers_every_moderation_body_exactly_as_recorded(
    people: People, make_business: MakeBusiness
) -> None:
    api = people.api(people.moderator)
    got: dict[str, Any] = {}
    for name, body in REASONS.items():
        business = make_business(f"Usaha {name}")
        answer = api.post(f"/api/businesses/{business.slug}/hide/", body, format="json")
        business.refresh_from_db()
        got[f"hide {name}"] = {
            "status": answer.status_code,
            "body": {k: v for k, v in answer.json().items() if k != "id"},
            "reason": business.moderation_reason,
        }
        nowhere = api.post(f"/api/businesses/{business.slug}/fly/", body, format="json")
        got[f"unknown verb {name}"] = {"status": nowhere.status_code, "body": nowhere.json()}
    owned = make_business("Kopi Ambun", owner=people.resident)
    for n, confirm in enumerate(CONFIRMS):
        changes = inputs.checked(inputs.RevisionSerializer, {"phone": f"0752 000 {n:03d}"})
        stale = actions.propose_revision(people.resident, owned, changes)
        Business.objects.filter(pk=owned.pk).update(phone=f"0752 999 {n:03d}")
        body = {} if confirm is None else {"confirm_stale": confirm}
        answer = api.post(f"/api/businesses/revisions/{stale.pk}/approve/", body, format="json")
        got[f"confirm {confirm!r}"] = {
            "status": answer.status_code,
            "body": {k: v for k, v in answer.json().items() if k != "id"},
        }
        owned.refresh_from_db()
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
