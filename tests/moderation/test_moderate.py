"""``moderate(obj, verb, by, reason)``: transitions, permission, reasons, locking, audit log.

Each refusal is checked to change nothing: no status, no review fields, no audit entry.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.accounts.models import AuditLog
from geo_klik.agencies.models import Membership
from geo_klik.business import actions, inputs
from geo_klik.business.models import Business, Claim, Promotion, Revision
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate
from geo_klik.moderation.models import Moderatable
from tests.business.conftest import PASSWORD, MakeBusiness, MakePromotion, People

pytestmark = pytest.mark.usefixtures("clock")


def refusal(obj: Moderatable, verb: str, by: Any, reason: str = "", **options: Any) -> Any:
    """Moderate, expect a refusal, and check that neither the row nor the audit log changed."""
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    row_before = rows.values().get()
    entries = AuditLog.objects.count()
    with pytest.raises(rules.Refused) as refused:
        moderate(obj, verb, by, reason, **options)
    assert rows.values().get() == row_before
    assert AuditLog.objects.count() == entries
    return refused.value


def test_it_approves_a_pending_listing_and_returns_it_with_the_audit_entry(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business(status=Business.Status.PENDING)
    Business.objects.filter(pk=business.pk).update(
        proposed_by=people.resident, proposer_is_owner=True
    )

    returned = moderate(business, "approve", people.moderator, "ignored: approving needs none")

    assert returned is business
    business.refresh_from_db()
    assert business.status == "published" and business.owner_id == people.resident.pk
    assert business.moderation_reason == ""
    entry = AuditLog.objects.get()
    assert entry.action == "business.approve" and entry.actor_id == people.moderator.pk
    assert entry.before == {"status": "pending", "owner": None}
    assert entry.after == {"status": "published", "owner": people.resident.pk}


@pytest.mark.parametrize(
    ("status", "verb", "code"),
    [
        ("published", "approve", "not_pending"),
        ("rejected", "reject", "not_pending"),
        ("hidden", "hide", "not_published"),
        ("pending", "hide", "not_published"),
        ("published", "unhide", "not_hidden"),
        ("pending", "unhide", "not_hidden"),
    ],
)
def test_it_refuses_a_verb_not_allowed_from_the_listings_state(
    people: People, make_business: MakeBusiness, status: str, verb: str, code: str
) -> None:
    business = make_business(status=status)

    refused = refusal(business, verb, people.moderator, "Alasan")

    assert refused.status_code == 409 and [p.code for p in refused.problems] == [code]


@pytest.mark.parametrize("verb", ["hide", "unhide", "publish", "", "APPROVE", "approve "])
def test_it_refuses_a_verb_the_model_does_not_have(
    people: People, make_business: MakeBusiness, verb: str
) -> None:
    business = make_business()
    claim = actions.claim_business(
        people.resident, business, message="NIB 123", contact_phone="0812 3456 7890"
    )

    refused = refusal(claim, verb, people.moderator, "Alasan")

    assert refused.status_code == 404 and refused.code == "not_found"


def test_it_refuses_users_without_a_moderating_role_whoever_they_are(
    people: People, make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    # The agency model read through the membership, wherever the agencies' app is.
    agency_model: Any = Membership._meta.get_field("agency").related_model
    agency = agency_model.objects.create(
        code="dpupr", name_id="Dinas PUPR", name_en="Public Works", kind="dinas"
    )
    agency_staff = account_actions.create_staff_user(
        "pupr", role=roles.SKPD_STAFF, agency=agency, password=PASSWORD
    )
    business = make_business(owner=people.resident)
    promotion = make_promotion(business, status=Promotion.Status.PENDING)

    # The owner approving their own promotion, an outsider, another agency's staff, a planner.
    for user in (people.resident, people.resident2, agency_staff, people.planner):
        refused = refusal(promotion, "approve", user)
        assert refused.status_code == 403 and refused.code == "permission_denied"
    anonymous = refusal(promotion, "approve", AnonymousUser())
    assert anonymous.status_code == 401 and anonymous.code == "not_authenticated"
    nobody = refusal(promotion, "approve", None)
    assert nobody.status_code == 401


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_it_requires_a_reason_to_reject_or_hide(
    people: People, make_business: MakeBusiness, reason: str
) -> None:
    pending = make_business("Menunggu", status=Business.Status.PENDING)
    published = make_business("Tayang")

    for obj, verb in ((pending, "reject"), (published, "hide")):
        refused = refusal(obj, verb, people.moderator, reason)
        assert refused.status_code == 400
        assert (refused.field, refused.code) == ("reason", "required")


def test_it_keeps_a_reason_stripped_and_cut_to_the_column(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business()

    moderate(business, "hide", people.moderator, "  " + "x" * 900 + "  ")

    business.refresh_from_db()
    assert business.moderation_reason == "x" * 500
    assert AuditLog.objects.get().note == "x" * 500


def test_it_decides_on_the_row_as_it_is_now_not_on_a_stale_copy(
    people: People, make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    promotion = make_promotion(make_business(), status=Promotion.Status.PENDING)
    stale_copy = Promotion.objects.get(pk=promotion.pk)
    moderate(promotion, "reject", people.moderator, "Iklan rokok")

    refused = refusal(stale_copy, "approve", people.moderator)

    assert refused.code == "not_pending"
    assert stale_copy.status == "rejected"  # re-read under the lock


def test_it_records_who_when_and_why_on_a_reviewed_proposal(
    people: People, make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    promotion = make_promotion(make_business(), status=Promotion.Status.PUBLISHED)

    moderate(promotion, "hide", people.moderator, "Iklan rokok")
    promotion.refresh_from_db()
    assert (promotion.status, promotion.reason) == ("hidden", "Iklan rokok")
    assert promotion.reviewed_by_id == people.moderator.pk and promotion.reviewed_at is not None

    moderate(promotion, "unhide", people.moderator, "not kept: unhiding takes no reason")
    promotion.refresh_from_db()
    assert (promotion.status, promotion.reason) == ("published", "")
    notes = list(AuditLog.objects.order_by("id").values_list("action", "note"))
    assert notes == [
        ("business.promotion.hide", "Iklan rokok"),
        ("business.promotion.unhide", ""),
    ]


def test_it_runs_the_claims_hook_and_refuses_when_the_listing_was_claimed_meanwhile(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    evidence = {"message": "NIB 123", "contact_phone": "0812 3456 7890"}
    first = actions.claim_business(people.resident, business, **evidence)
    second = actions.claim_business(people.resident2, business, **evidence)
    third = actions.claim_business(people.resident3, business, **evidence)
    # An admin gives the listing an owner before the moderator decides on the third claim.
    moderate(first, "approve", people.moderator)
    Claim.objects.filter(pk=third.pk).update(status=Claim.Status.PENDING, reason="")

    refused = refusal(third, "approve", people.moderator)

    assert refused.code == "already_owned" and refused.status_code == 409
    second.refresh_from_db()
    assert second.status == "rejected" and second.reviewed_by_id == people.moderator.pk


def test_it_refuses_a_revision_whose_author_no_longer_owns_the_listing(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business(owner=people.resident)
    revision = revise(people.resident, business, {"phone": "0752 111 222"})
    Business.objects.filter(pk=business.pk).update(owner=people.resident2)

    refused = refusal(revision, "approve", people.moderator)

    assert refused.code == "not_owner"
    business.refresh_from_db()
    assert business.phone == ""
    assert Revision.objects.get().status == "pending"


def revise(user: Any, business: Business, data: dict[str, Any]) -> Revision:
    """The owner's revision of ``data``, checked as the API and the pages check it."""
    return actions.propose_revision(user, business, inputs.checked(inputs.RevisionSerializer, data))
