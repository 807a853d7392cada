"""Who sees pending and hidden content: its author and the moderators, nobody else."""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.business import actions, inputs, queries
from geo_klik.business.models import Business, Promotion, Revision
from geo_klik.moderation.actions import moderate
from tests.business.conftest import MakeBusiness, MakePromotion, People

pytestmark = pytest.mark.usefixtures("clock")


def test_it_shows_a_hidden_listing_only_to_its_owner_and_moderators_with_the_reason(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business("Kopi", owner=people.resident)
    moderate(business, "hide", people.moderator, "Alamat palsu")
    url = f"/api/businesses/{business.slug}/"
    assert people.api(None).get(url).status_code == 404
    assert people.api(people.resident2).get(url).status_code == 404
    owner_view = people.api(people.resident).get(url).json()
    assert owner_view["status"] == "hidden" and owner_view["moderation_reason"] == "Alamat palsu"
    assert people.api(people.moderator).get(url).status_code == 200
    assert people.api(None).get("/api/businesses/").json()["features"] == []
    moderate(business, "unhide", people.moderator)
    assert people.api(None).get(url).status_code == 200


def test_it_shows_pending_and_hidden_promotions_only_to_the_owner_and_moderators(
    people: People, make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    business = make_business(owner=people.resident)
    make_promotion(business, title="Tayang")
    make_promotion(business, title="Menunggu", status=Promotion.Status.PENDING)
    make_promotion(
        business, title="Disembunyikan", status=Promotion.Status.HIDDEN, reason="Iklan rokok"
    )
    url = f"/api/businesses/{business.slug}/"

    def titles(user: object) -> set[str]:
        return {p["title"] for p in people.api(user).get(url).json()["promotions"]}  # type: ignore[arg-type]

    assert titles(None) == titles(people.resident2) == {"Tayang"}
    assert (
        titles(people.resident)
        == titles(people.moderator)
        == {"Tayang", "Menunggu", "Disembunyikan"}
    )
    reasons = {
        p["title"]: p["reason"] for p in people.api(people.resident).get(url).json()["promotions"]
    }
    assert reasons["Disembunyikan"] == "Iklan rokok"


def test_it_shows_a_pending_proposal_to_its_proposer_only(
    people: People, tiny_city: object
) -> None:
    business = propose(
        people.resident,
        {"name": "Laundry Bersih", "category": "jasa", "location": {"lat": -0.005, "lon": 100.005}},
    )
    assert queries.business_for(people.resident, business.slug) == business
    assert queries.business_for(people.resident2, business.slug) is None
    assert queries.business_for(people.moderator, business.slug) == business
    assert not queries.published_businesses().exists()


def test_it_lists_a_residents_own_items_with_statuses_and_reasons(
    people: People, make_business: MakeBusiness
) -> None:
    owned = make_business("Punya Siti", owner=people.resident)
    claimed = make_business("Diklaim")
    claim = actions.claim_business(
        people.resident, claimed, message="NIB 1", contact_phone="0812 1111 2222"
    )
    moderate(claim, "reject", people.moderator, "NIB tidak terdaftar")
    revision = revise(people.resident, owned, {"phone": "0752 123 456"})
    mine = queries.mine(people.resident)
    assert mine["owned"] == [owned]
    assert [(c.business, c.status, c.reason) for c in mine["claims"]] == [
        (claimed, "rejected", "NIB tidak terdaftar")
    ]
    assert mine["revisions"] == [revision]
    assert queries.mine(people.resident2) == {
        "owned": [],
        "proposed": [],
        "claims": [],
        "revisions": [],
        "promotions": [],
    }


def test_it_keeps_hidden_listings_out_of_the_directory_for_everyone(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    moderate(business, "hide", people.moderator, "Spam")
    assert Business.objects.get().status == Business.Status.HIDDEN
    assert list(queries.published_businesses()) == []
    with pytest.raises(actions.Refused) as refused:
        moderate(business, "hide", people.moderator, "Lagi")
    assert refused.value.status_code == 409


def revise(user: Any, business: Business, data: dict[str, Any]) -> Revision:
    """The owner's revision of ``data``, checked as the API and the pages check it."""
    return actions.propose_revision(user, business, inputs.checked(inputs.RevisionSerializer, data))


def propose(user: Any, data: dict[str, Any], **options: Any) -> Business:
    """A proposal of ``data``, checked as the pages check it."""
    return actions.propose_business(user, inputs.checked(inputs.ListingSerializer, data), **options)
