"""Promotions and events: the owner proposes, a moderator publishes, hides or unhides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from geo_klik.business import actions
from geo_klik.business.models import Business, Promotion
from geo_klik.lib import geo
from geo_klik.moderation.actions import moderate
from tests.business.conftest import (
    NOW,
    OUTSIDE,
    TIMUR,
    MakeBusiness,
    MakePromotion,
    People,
    problem_codes,
    problem_fields,
)


@pytest.fixture
def owned(people: People, make_business: MakeBusiness) -> Business:
    return make_business("Bordir Uni Ema", owner=people.resident)


def period(days_from_now: float, length_h: float) -> dict[str, str]:
    starts = timezone.now() + dt.timedelta(days=days_from_now)
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=length_h)).isoformat(),
    }


def test_it_takes_an_owners_promotion_pending_until_approved(
    people: People, owned: Business
) -> None:
    answer = people.api(people.resident).post(
        f"/api/businesses/{owned.slug}/promotions/",
        {
            "kind": "event",
            "title_id": "Pameran bordir",
            "title_en": "Embroidery show",
            **period(1, 5),
        },
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["status"] == "pending"
    promotion = Promotion.objects.get()
    assert promotion.location is None and promotion.where == owned.location
    assert people.api(None).get("/api/businesses/promotions/").json()["features"] == []
    people.api(people.moderator).post(f"/api/businesses/promotions/{promotion.pk}/approve/")
    features = people.api(None).get("/api/businesses/promotions/").json()["features"]
    assert [f["properties"]["title"] for f in features] == ["Pameran bordir"]
    english = people.api(None).get("/api/businesses/promotions/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["features"][0]["properties"]["title"] == "Embroidery show"


def test_it_takes_a_naive_time_as_bukittinggi_time_and_a_place_of_its_own(
    people: People, owned: Business
) -> None:
    next_year = timezone.now().year + 1
    answer = people.api(people.resident).post(
        f"/api/businesses/{owned.slug}/promotions/",
        {
            "kind": "event",
            "title_id": "Bazar",
            "starts_at": f"{next_year}-08-17T09:00",
            "ends_at": f"{next_year}-08-17T17:00",
            "lat": TIMUR[0],
            "lon": TIMUR[1],
        },
        format="json",
    )
    assert answer.status_code == 201
    promotion = Promotion.objects.get()
    assert promotion.starts_at == dt.datetime(next_year, 8, 17, 2, 0, tzinfo=dt.UTC)
    assert promotion.location is not None
    assert geo.lat_lon(promotion.location) == pytest.approx(TIMUR)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"title_id": ""}, "title_id", "required"),
        ({"kind": "sale"}, "kind", "invalid"),
        (period(2, -3), "ends_at", "before_start"),
        (period(-3, 2), "ends_at", "in_past"),
        ({"starts_at": "besok pagi"}, "starts_at", "invalid"),
        ({"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, "location", "outside_city"),
        ({"lat": 100}, "lat", "invalid"),
    ],
)
def test_it_names_what_is_wrong(
    people: People, owned: Business, change: dict[str, object], field: str, code: str
) -> None:
    data = {"kind": "promotion", "title_id": "Diskon", **period(1, 24), **change}
    answer = people.api(people.resident).post(
        f"/api/businesses/{owned.slug}/promotions/", data, format="json"
    )
    assert answer.status_code == 400, answer.json()
    assert field in problem_fields(answer) and code in problem_codes(answer)
    assert not Promotion.objects.exists()


def test_it_lets_only_the_owner_propose_and_only_for_a_published_listing(
    people: People, owned: Business
) -> None:
    data = {"kind": "promotion", "title_id": "Diskon", **period(1, 24)}
    stranger = people.api(people.resident2).post(
        f"/api/businesses/{owned.slug}/promotions/", data, format="json"
    )
    assert stranger.status_code == 403
    moderate(owned, "hide", people.moderator, "Foto palsu")
    hidden = people.api(people.resident).post(
        f"/api/businesses/{owned.slug}/promotions/", data, format="json"
    )
    assert hidden.status_code == 409 and problem_codes(hidden) == ["not_published"]


@pytest.mark.usefixtures("clock")
def test_it_hides_and_unhides_a_published_promotion(
    people: People, owned: Business, make_promotion: MakePromotion
) -> None:
    promotion = make_promotion(owned)
    api = people.api(people.moderator)
    assert api.post(f"/api/businesses/promotions/{promotion.pk}/hide/").status_code == 400
    assert api.post(
        f"/api/businesses/promotions/{promotion.pk}/hide/", {"reason": "Menyesatkan"}
    ).json() == {"id": promotion.pk, "status": "hidden"}
    assert people.api(None).get("/api/businesses/promotions/").json()["features"] == []
    assert api.post(f"/api/businesses/promotions/{promotion.pk}/unhide/").status_code == 200
    assert len(people.api(None).get("/api/businesses/promotions/").json()["features"]) == 1
    again = api.post(f"/api/businesses/promotions/{promotion.pk}/approve/")
    assert again.status_code == 409


@pytest.mark.usefixtures("clock")
def test_it_lists_current_and_upcoming_promotions_in_a_box(
    people: People,
    owned: Business,
    make_business: MakeBusiness,
    make_promotion: MakePromotion,
) -> None:
    running = make_promotion(owned, title="Sekarang")
    make_promotion(owned, title="Nanti", starts=NOW + dt.timedelta(days=3))
    make_promotion(owned, title="Lewat", starts=NOW - dt.timedelta(days=9), ends=NOW)
    make_promotion(owned, title="Ditolak", status=Promotion.Status.REJECTED)
    make_promotion(owned, title="Di Timur", location=geo.point(*TIMUR))
    timur = make_business("Timur", where=TIMUR, status=Business.Status.HIDDEN)
    make_promotion(timur, title="Usaha tersembunyi")
    api = people.api(None)
    everything = api.get("/api/businesses/promotions/").json()["features"]
    assert [f["properties"]["title"] for f in everything] == ["Sekarang", "Di Timur", "Nanti"]
    assert [f["properties"]["current"] for f in everything] == [True, True, False]
    current = api.get("/api/businesses/promotions/?current=1").json()["features"]
    assert {f["properties"]["title"] for f in current} == {"Sekarang", "Di Timur"}
    timur_box = api.get("/api/businesses/promotions/?in_bbox=100.01,-0.01,100.02,0").json()
    assert [f["properties"]["title"] for f in timur_box["features"]] == ["Di Timur"]
    first = everything[0]["properties"]
    assert first["layer"] == "business_promotions" and first["id"] == running.pk
    assert first["url"] == f"/usaha/{owned.slug}/#promosi-{running.pk}"
    bad = api.get("/api/businesses/promotions/?in_bbox=x")
    assert bad.status_code == 400 and problem_fields(bad) == ["in_bbox"]


def test_it_limits_pending_promotions_of_one_listing(people: People, owned: Business) -> None:
    for n in range(actions.MAX_PENDING_PROMOTIONS_PER_BUSINESS):
        actions.propose_promotion(
            people.resident,
            owned,
            kind="promotion",
            title_id=f"Promo {n}",
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(days=1),
        )
    with pytest.raises(actions.Refused) as refused:
        actions.propose_promotion(
            people.resident,
            owned,
            kind="promotion",
            title_id="Satu lagi",
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(days=1),
        )
    assert refused.value.status_code == 429
