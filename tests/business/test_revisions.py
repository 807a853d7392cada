"""Revisions: the owner proposes changes; approval applies exactly them; stale ones are flagged."""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.business import actions, inputs
from geo_klik.business.models import Business, Revision
from geo_klik.lib import errors
from geo_klik.moderation.actions import moderate
from tests.business.conftest import (
    OUTSIDE,
    TIMUR,
    MakeBusiness,
    People,
    problem_codes,
    problem_fields,
)


@pytest.fixture
def owned(people: People, make_business: MakeBusiness) -> Business:
    return make_business("Kopi Ambun", owner=people.resident, phone="0752 111 222")


def test_it_keeps_only_the_fields_that_change(people: People, owned: Business) -> None:
    answer = people.api(people.resident).post(
        f"/api/businesses/{owned.slug}/revisions/",
        {"name": "Kopi Ambun", "phone": "0752 999 000", "whatsapp": "0812 3333 4444"},
        format="json",
    )
    assert answer.status_code == 201
    revision = Revision.objects.get()
    assert revision.changes == {"phone": "0752 999 000", "whatsapp": "0812 3333 4444"}
    assert revision.base == {"phone": "0752 111 222", "whatsapp": ""}
    owned.refresh_from_db()
    assert owned.phone == "0752 111 222"  # nothing changes before a moderator approves


def test_it_applies_exactly_the_proposed_fields_on_approval(
    people: People, owned: Business
) -> None:
    revision = revise(
        people.resident,
        owned,
        {
            "description_en": "Agam coffee",
            "location": {"lat": TIMUR[0], "lon": TIMUR[1]},
            "opening_hours": [{"days": [6, 5], "opens": "10:00", "closes": "22:00"}],
        },
    )
    # An admin changes another field meanwhile: approval must not undo it.
    Business.objects.filter(pk=owned.pk).update(address="Jl. Sudirman 1")
    answer = people.api(people.moderator).post(f"/api/businesses/revisions/{revision.pk}/approve/")
    assert answer.status_code == 200
    owned.refresh_from_db()
    assert owned.description_en == "Agam coffee"
    assert (owned.lat, owned.lon) == pytest.approx(TIMUR)
    assert owned.kelurahan is not None and owned.kelurahan.name == "Timur Utara"
    assert owned.opening_hours == [{"days": [5, 6], "opens": "10:00", "closes": "22:00"}]
    assert owned.address == "Jl. Sudirman 1" and owned.phone == "0752 111 222"
    assert owned.name == "Kopi Ambun"


def test_it_flags_a_revision_made_stale_by_a_later_approved_one(
    people: People, owned: Business
) -> None:
    older = revise(people.resident, owned, {"phone": "0752 000 001"})
    newer = revise(people.resident, owned, {"phone": "0752 000 002", "email": "kopi@example.org"})
    unrelated = revise(people.resident, owned, {"address": "Jl. Baru"})
    moderate(newer, "approve", people.moderator)
    older.refresh_from_db()
    assert older.is_stale and older.stale_fields == ["phone"]
    assert not unrelated.is_stale
    api = people.api(people.moderator)
    refused = api.post(f"/api/businesses/revisions/{older.pk}/approve/")
    assert refused.status_code == 409 and problem_fields(refused) == ["confirm_stale"]
    owned.refresh_from_db()
    assert owned.phone == "0752 000 002"
    confirmed = api.post(
        f"/api/businesses/revisions/{older.pk}/approve/", {"confirm_stale": True}, format="json"
    )
    assert confirmed.status_code == 200
    owned.refresh_from_db()
    assert owned.phone == "0752 000 001" and owned.email == "kopi@example.org"


def test_it_lets_only_the_owner_propose(
    people: People, owned: Business, make_business: MakeBusiness
) -> None:
    answer = people.api(people.resident2).post(
        f"/api/businesses/{owned.slug}/revisions/", {"phone": "0752 1"}, format="json"
    )
    assert answer.status_code == 403 and problem_codes(answer) == ["not_owner"]
    unowned = make_business("Tanpa Pemilik")
    with pytest.raises(actions.Refused):
        revise(people.moderator, unowned, {"phone": "0752 123 456"})


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"location": {"lat": OUTSIDE[0], "lon": OUTSIDE[1]}}, "location", "outside_city"),
        ({"category": "bakery"}, "category", "invalid"),
        (
            {"opening_hours": [{"days": [9], "opens": "8", "closes": "9"}]},
            "opening_hours",
            "invalid",
        ),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"owner": 1}, "owner", "unknown_field"),
        ({"name": "Kopi Ambun"}, None, "no_changes"),
    ],
)
def test_it_refuses_bad_changes_naming_the_field(
    people: People, owned: Business, data: dict[str, object], field: str | None, code: str
) -> None:
    answer = people.api(people.resident).post(
        f"/api/businesses/{owned.slug}/revisions/", data, format="json"
    )
    assert answer.status_code == 400
    assert problem_fields(answer) == [field] and problem_codes(answer) == [code]
    assert not Revision.objects.exists()


def test_it_refuses_outside_points_in_both_languages(people: People, owned: Business) -> None:
    with pytest.raises(errors.Invalid) as refused:
        revise(people.resident, owned, {"location": {"lat": OUTSIDE[0], "lon": OUTSIDE[1]}})
    problem = refused.value.problems[0]
    assert "di luar Kota Contoh" in problem.message
    assert "outside Kota Contoh" in problem.message_en


def test_it_rejects_with_a_reason_the_owner_sees(people: People, owned: Business) -> None:
    revision = revise(people.resident, owned, {"phone": "0752 000 009"})
    moderate(revision, "reject", people.moderator, "Nomor tidak bisa dihubungi")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.REJECTED
    assert revision.reason == "Nomor tidak bisa dihubungi"
    owned.refresh_from_db()
    assert owned.phone == "0752 111 222"


def test_it_will_not_apply_a_revision_of_someone_no_longer_owner(
    people: People, owned: Business
) -> None:
    revision = revise(people.resident, owned, {"phone": "0752 000 009"})
    Business.objects.filter(pk=owned.pk).update(owner=people.resident2)
    with pytest.raises(actions.Refused) as refused:
        moderate(revision, "approve", people.moderator)
    assert refused.value.problems[0].code == "not_owner"


def revise(user: Any, business: Business, data: dict[str, Any]) -> Revision:
    """The owner's revision of ``data``, checked as the API and the pages check it."""
    return actions.propose_revision(user, business, inputs.checked(inputs.RevisionSerializer, data))
