"""GET /api/businesses/ and /api/businesses/<slug>/: the "businesses" layer's GeoJSON."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from geo_klik.business import queries
from geo_klik.business.models import Business
from geo_klik.lib import layers
from tests.business.conftest import (
    TIMUR,
    WEEKEND_ONLY,
    MakeBusiness,
    People,
    problem_codes,
    problem_fields,
)

pytestmark = pytest.mark.usefixtures("clock")


def titles(answer: object) -> set[str]:
    return {f["properties"]["title"] for f in answer.json()["features"]}  # type: ignore[attr-defined]


def test_it_answers_published_listings_as_geojson_with_the_layer_contract(
    client: APIClient, make_business: MakeBusiness
) -> None:
    shown = make_business("Kedai Kopi Ambun")
    make_business("Menunggu", status=Business.Status.PENDING)
    make_business("Disembunyikan", status=Business.Status.HIDDEN)
    answer = client.get("/api/businesses/")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/geo+json")
    body = answer.json()
    assert body["type"] == "FeatureCollection" and "truncated" not in body
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [100.005, -0.005]}
    properties = feature["properties"]
    assert properties["layer"] == "businesses" and properties["id"] == shown.pk
    assert properties["title"] == "Kedai Kopi Ambun"
    assert properties["url"] == f"/usaha/{shown.slug}/"
    assert properties["approximate"] is False
    assert properties["open_now"] is True  # Wednesday 10:00, open on workdays 9-17
    assert "Kuliner" in properties["subtitle"] and "Barat Utara" in properties["subtitle"]


def test_it_filters_by_bounding_box_category_and_open_now(
    client: APIClient, make_business: MakeBusiness
) -> None:
    make_business("Barat Kuliner")
    make_business("Timur Bordir", where=TIMUR, category="bordir")
    make_business("Timur Akhir Pekan", where=TIMUR, hours=WEEKEND_ONLY)
    make_business("Jam Tidak Diketahui", hours=[])
    timur_box = "100.01,-0.01,100.02,0"
    assert titles(client.get(f"/api/businesses/?in_bbox={timur_box}")) == {
        "Timur Bordir",
        "Timur Akhir Pekan",
    }
    assert titles(client.get("/api/businesses/?category=bordir")) == {"Timur Bordir"}
    assert titles(client.get("/api/businesses/?open_now=1")) == {"Barat Kuliner", "Timur Bordir"}
    assert titles(client.get(f"/api/businesses/?in_bbox={timur_box}&open_now=1")) == {
        "Timur Bordir"
    }
    assert titles(client.get("/api/businesses/?q=akhir")) == {"Timur Akhir Pekan"}


def test_it_follows_the_clock_for_open_now(
    client: APIClient, make_business: MakeBusiness, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_business("Akhir Pekan", hours=WEEKEND_ONLY)
    assert titles(client.get("/api/businesses/?open_now=1")) == set()
    saturday = dt.datetime(2025, 1, 11, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    monkeypatch.setattr(queries, "current_time", lambda: saturday)
    assert titles(client.get("/api/businesses/?open_now=1")) == {"Akhir Pekan"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("in_bbox=1,2,3", "in_bbox"),
        ("in_bbox=100.02,0,100.01,-0.01", "in_bbox"),
        ("category=bakery", "category"),
        ("open_now=maybe", "open_now"),
    ],
)
def test_it_names_the_bad_parameter_in_both_languages(
    client: APIClient, tiny_city: object, query: str, field: str
) -> None:
    answer = client.get(f"/api/businesses/?{query}")
    assert answer.status_code == 400
    assert problem_fields(answer) == [field]
    problem = answer.json()["errors"][0]
    assert (
        problem["message"] and problem["message_en"] and problem["message"] != problem["message_en"]
    )


def test_it_speaks_the_requested_language(client: APIClient, make_business: MakeBusiness) -> None:
    make_business("Kedai", category="jasa")
    indonesian = client.get("/api/businesses/").json()["features"][0]["properties"]
    english = client.get("/api/businesses/", HTTP_ACCEPT_LANGUAGE="en").json()["features"][0][
        "properties"
    ]
    assert indonesian["category_name"] == "Jasa" and "Buka sekarang" in indonesian["subtitle"]
    assert english["category_name"] == "Services" and "Open now" in english["subtitle"]
    assert english["hours"].startswith("Monday–Friday")


def test_it_says_when_the_answer_is_cut(
    client: APIClient, make_business: MakeBusiness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layers, "MAX_FEATURES", 2)
    for n in range(3):
        make_business(f"Usaha {n}")
    body = client.get("/api/businesses/").json()
    assert len(body["features"]) == 2 and body["truncated"] is True


def test_it_shows_one_listing_with_contact_links_and_current_promotions(
    client: APIClient, make_business: MakeBusiness, make_promotion: object
) -> None:
    business = make_business(
        "Bordir Uni Ema",
        phone="0752 123 456",
        whatsapp="0812-3456-7890",
        description_id="Bordir tangan",
        description_en="Hand embroidery",
    )
    make_promotion(business, title="Diskon mukena")  # type: ignore[operator]
    answer = client.get(f"/api/businesses/{business.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    body = answer.json()
    assert body["tel_url"] == "tel:0752123456"
    assert body["whatsapp_url"] == "https://wa.me/6281234567890"
    assert body["description"] == "Hand embroidery"
    assert [p["title"] for p in body["promotions"]] == ["Diskon mukena"]
    assert "status" not in body  # private fields only for the owner and moderators


def test_it_answers_404_in_both_languages_for_a_pending_listing(
    client: APIClient, make_business: MakeBusiness, people: People
) -> None:
    pending = make_business("Menunggu", status=Business.Status.PENDING)
    answer = client.get(f"/api/businesses/{pending.slug}/")
    assert answer.status_code == 404 and problem_codes(answer) == ["not_found"]
    assert answer.json()["errors"][0]["message_en"] == "Business not found."
    seen = people.api(people.moderator).get(f"/api/businesses/{pending.slug}/")
    assert seen.status_code == 200 and seen.json()["status"] == "pending"
