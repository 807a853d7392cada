"""Proposals: any logged-in resident proposes a listing; a moderator approves or rejects it."""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.business import actions, inputs
from geo_klik.business.models import Business
from geo_klik.lib import errors
from tests.business.conftest import OUTSIDE, TIMUR, People

LISTING: dict[str, Any] = {
    "name": "Keripik Sanjai Amak",
    "category": "oleh_oleh",
    "location": {"lat": TIMUR[0], "lon": TIMUR[1]},
    "phone": "0752 123 456",
    "website": "sanjai.example.org",
    "opening_hours": [{"days": [0, 1, 2, 3, 4, 5], "opens": "08:00", "closes": "17:00"}],
}


@pytest.fixture(autouse=True)
def city(tiny_city: object) -> None:
    return None


def test_it_creates_a_pending_listing_in_the_kelurahan_of_its_point(people: People) -> None:
    business = propose(people.resident, LISTING)
    assert business.status == Business.Status.PENDING
    assert business.kelurahan is not None and business.kelurahan.name == "Timur Utara"
    assert business.slug == "keripik-sanjai-amak"
    assert business.website == "https://sanjai.example.org"
    assert business.proposed_by == people.resident and business.owner is None
    second = propose(people.resident2, LISTING)
    assert second.slug == "keripik-sanjai-amak-2"


def test_it_refuses_a_point_outside_the_city_and_other_errors_all_at_once(
    people: People,
) -> None:
    bad = {**LISTING, "location": {"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, "name": "", "phone": "x"}
    with pytest.raises(errors.Invalid) as refused:
        propose(people.resident, bad)
    assert [p.field for p in refused.value.problems] == ["name", "location", "phone"]
    assert not Business.objects.exists()


def test_it_needs_a_login(people: People) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(actions.Refused) as refused:
        propose(AnonymousUser(), LISTING)
    assert refused.value.status_code == 401


def test_it_limits_pending_proposals(people: People) -> None:
    for _ in range(actions.MAX_PENDING_PROPOSALS):
        propose(people.resident, LISTING)
    with pytest.raises(actions.Refused) as refused:
        propose(people.resident, LISTING)
    assert refused.value.problems[0].code == "too_many_pending"


def test_it_publishes_on_approval_and_makes_a_self_declared_owner_the_owner(
    people: People,
) -> None:
    business = propose(people.resident, LISTING, is_owner=True)
    answer = people.api(people.moderator).post(f"/api/businesses/{business.slug}/approve/")
    assert answer.status_code == 200 and answer.json()["status"] == "published"
    business.refresh_from_db()
    assert business.owner == people.resident
    assert people.api(None).get(f"/api/businesses/{business.slug}/").status_code == 200


def test_it_rejects_with_a_reason_shown_to_the_proposer(people: People) -> None:
    business = propose(people.resident, LISTING)
    api = people.api(people.moderator)
    assert api.post(f"/api/businesses/{business.slug}/reject/").status_code == 400
    api.post(f"/api/businesses/{business.slug}/reject/", {"reason": "Sudah ada di direktori"})
    business.refresh_from_db()
    assert business.status == Business.Status.REJECTED
    mine = people.api(people.resident).get(f"/api/businesses/{business.slug}/").json()
    assert mine["moderation_reason"] == "Sudah ada di direktori"
    assert people.api(people.resident2).get(f"/api/businesses/{business.slug}/").status_code == 404
    assert api.post(f"/api/businesses/{business.slug}/frobnicate/").status_code == 404


def propose(user: Any, data: dict[str, Any], **options: Any) -> Business:
    """A proposal of ``data``, checked as the pages check it."""
    return actions.propose_business(user, inputs.checked(inputs.ListingSerializer, data), **options)
