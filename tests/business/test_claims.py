"""Claims: a resident asks to own an unowned listing; a moderator decides."""

from __future__ import annotations

import pytest

from geo_klik.accounts.models import AuditLog
from geo_klik.business import actions
from geo_klik.business.models import Business, Claim
from geo_klik.moderation.actions import moderate
from tests.business.conftest import MakeBusiness, People, problem_codes, problem_fields

EVIDENCE = {"message": "Saya pemiliknya, NIB 1234567890123", "contact_phone": "0812 1111 2222"}


def claim(people: People, user: object, business: Business) -> Claim:
    return actions.claim_business(user, business, **EVIDENCE)


def test_it_takes_a_claim_through_the_api(people: People, make_business: MakeBusiness) -> None:
    business = make_business()
    answer = people.api(people.resident).post(
        f"/api/businesses/{business.slug}/claim/", EVIDENCE, format="json"
    )
    assert answer.status_code == 201 and answer.json()["status"] == "pending"
    made = Claim.objects.get()
    assert (made.user, made.business, made.contact_phone) == (
        people.resident,
        business,
        "0812 1111 2222",
    )


def test_it_asks_an_anonymous_visitor_to_log_in(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    answer = people.api(None).post(f"/api/businesses/{business.slug}/claim/", EVIDENCE)
    assert answer.status_code in (401, 403)
    assert problem_codes(answer) == ["not_authenticated"]
    assert not Claim.objects.exists()


def test_it_names_missing_evidence_and_phone(people: People, make_business: MakeBusiness) -> None:
    business = make_business()
    answer = people.api(people.resident).post(
        f"/api/businesses/{business.slug}/claim/", {"message": " ", "contact_phone": "abc"}
    )
    assert answer.status_code == 400
    assert problem_fields(answer) == ["message", "contact_phone"]


def test_it_allows_one_pending_claim_per_user_and_listing(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    claim(people, people.resident, business)
    with pytest.raises(actions.Refused) as refused:
        claim(people, people.resident, business)
    assert refused.value.problems[0].code == "duplicate_claim"
    assert refused.value.status_code == 409
    claim(people, people.resident2, business)  # someone else may compete
    assert Claim.objects.filter(status=Claim.Status.PENDING).count() == 2


def test_it_limits_a_user_to_three_pending_claims(
    people: People, make_business: MakeBusiness
) -> None:
    listings = [make_business(f"Usaha {n}") for n in range(4)]
    for business in listings[:3]:
        claim(people, people.resident, business)
    answer = people.api(people.resident).post(
        f"/api/businesses/{listings[3].slug}/claim/", EVIDENCE, format="json"
    )
    assert answer.status_code == 429 and problem_codes(answer) == ["too_many_pending"]
    latest = Claim.objects.first()
    assert latest is not None
    moderate(latest, "reject", people.moderator, "Bukti kurang")
    assert claim(people, people.resident, listings[3]).status == Claim.Status.PENDING


def test_it_refuses_to_claim_an_owned_listing_and_says_to_contact_the_city(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business(owner=people.resident)
    answer = people.api(people.resident2).post(
        f"/api/businesses/{business.slug}/claim/", EVIDENCE, format="json"
    )
    assert answer.status_code == 409 and problem_codes(answer) == ["already_owned"]
    problem = answer.json()["errors"][0]
    assert "hubungi" in problem["message"] and "contact the city" in problem["message_en"]
    own = people.api(people.resident).post(
        f"/api/businesses/{business.slug}/claim/", EVIDENCE, format="json"
    )
    assert problem_codes(own) == ["already_owner"]


def test_it_cannot_claim_a_hidden_or_pending_listing(
    people: People, make_business: MakeBusiness
) -> None:
    hidden = make_business(status=Business.Status.HIDDEN)
    answer = people.api(people.resident).post(
        f"/api/businesses/{hidden.slug}/claim/", EVIDENCE, format="json"
    )
    assert answer.status_code == 404


def test_it_makes_the_approved_claimant_owner_and_rejects_the_competitors(
    people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    other = make_business("Lain")
    first = claim(people, people.resident, business)
    second = claim(people, people.resident2, business)
    elsewhere = claim(people, people.resident2, other)
    answer = people.api(people.moderator).post(f"/api/businesses/claims/{second.pk}/approve/")
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    business.refresh_from_db()
    first.refresh_from_db()
    elsewhere.refresh_from_db()
    assert business.owner == people.resident2
    assert first.status == Claim.Status.REJECTED and first.reason
    assert first.reviewed_by == people.moderator
    assert elsewhere.status == Claim.Status.PENDING  # another listing: untouched
    assert AuditLog.objects.filter(
        action="business.claim.approve", object_id=str(second.pk)
    ).exists()
    again = people.api(people.moderator).post(f"/api/businesses/claims/{first.pk}/approve/")
    assert again.status_code == 409 and problem_codes(again) == ["not_pending"]


def test_it_needs_a_reason_to_reject_and_shows_it_to_the_claimant(
    people: People, make_business: MakeBusiness
) -> None:
    made = claim(people, people.resident, make_business())
    api = people.api(people.moderator)
    no_reason = api.post(f"/api/businesses/claims/{made.pk}/reject/", {"reason": ""})
    assert no_reason.status_code == 400 and problem_fields(no_reason) == ["reason"]
    api.post(f"/api/businesses/claims/{made.pk}/reject/", {"reason": "NIB tidak cocok"})
    made.refresh_from_db()
    assert (made.status, made.reason) == (Claim.Status.REJECTED, "NIB tidak cocok")


def test_it_lets_only_moderators_decide(people: People, make_business: MakeBusiness) -> None:
    made = claim(people, people.resident, make_business())
    for user, status in ((None, 401), (people.resident, 403), (people.planner, 403)):
        answer = people.api(user).post(f"/api/businesses/claims/{made.pk}/approve/")
        assert answer.status_code == status
    missing = people.api(people.resident).post("/api/businesses/claims/999999/approve/")
    assert missing.status_code == 403  # the role is checked before anything is looked up
    made.refresh_from_db()
    assert made.status == Claim.Status.PENDING
