"""business.inputs: the checks every caller of the directory's actions passes input through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from geo_klik.business import inputs
from geo_klik.business.models import Business, Claim, Promotion, Revision
from geo_klik.lib import errors
from tests.business.conftest import BARAT, MakeBusiness, People

pytestmark = pytest.mark.usefixtures("clock")


def problems(serializer: type[Any], data: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(errors.Invalid) as refused:
        inputs.checked(serializer, data)
    return [(p.field, p.code) for p in refused.value.problems]


@pytest.mark.parametrize("text", ["Kopi\x00Ambun", "Kopi \ud800"])
def test_it_refuses_text_postgresql_cannot_store(tiny_city: object, text: str) -> None:
    listing = {"name": text, "category": "kuliner", "location": {"lat": BARAT[0], "lon": BARAT[1]}}
    assert problems(inputs.ListingSerializer, listing) == [("name", "invalid_characters")]
    assert problems(inputs.RevisionSerializer, {"address": text}) == [
        ("address", "invalid_characters")
    ]
    claim = {"message": text, "contact_phone": "0812 3456 7890"}
    assert problems(inputs.ClaimSerializer, claim) == [("message", "invalid_characters")]


def test_it_refuses_lists_and_objects_where_text_is_expected(tiny_city: object) -> None:
    claim = {"message": ["NIB 1"], "contact_phone": {"n": "0812 3456 7890"}}
    assert problems(inputs.ClaimSerializer, claim) == [
        ("message", "invalid"),
        ("contact_phone", "invalid"),
    ]
    later = timezone.now() + dt.timedelta(days=1)
    promotion = {
        "title_id": ["Diskon"],
        "body_en": True,
        "starts_at": timezone.now(),
        "ends_at": later,
    }
    assert problems(inputs.PromotionSerializer, promotion) == [
        ("title_id", "invalid"),
        ("body_en", "invalid"),
    ]


def test_it_bounds_a_claims_message(tiny_city: object) -> None:
    claim = {"message": "x" * 100_001, "contact_phone": "0812 3456 7890"}
    assert problems(inputs.ClaimSerializer, claim) == [("message", "too_long")]


def test_it_answers_hostile_bodies_without_writing(
    people: People, make_business: MakeBusiness
) -> None:
    owned = make_business("Kopi Ambun", owner=people.resident2)
    unowned = make_business("Sate Mak Syukur")
    api = people.api(people.resident2)
    for body in (
        {"name": "a\x00b"},
        {"location": {"lat": True, "lon": 100.005}},
        {"opening_hours": [{"days": [True], "opens": "09:00", "closes": "17:00"}]},
        {"website": "javascript:alert(1)"},
        {"email": "a@b.c\x00"},
    ):
        answer = api.post(f"/api/businesses/{owned.slug}/revisions/", body, format="json")
        assert answer.status_code == 400, body
    bad_claim = {"message": "m\x00", "contact_phone": "0812 3456 7890"}
    answer = people.api(people.resident).post(
        f"/api/businesses/{unowned.slug}/claim/", bad_claim, format="json"
    )
    assert answer.status_code == 400
    for body in (
        {"title_id": "a\x00", "starts_at": "2030-01-01", "ends_at": "2030-01-02"},
        {"title_id": "a", "starts_at": "2030-13-01", "ends_at": "2030-01-02"},
    ):
        answer = api.post(f"/api/businesses/{owned.slug}/promotions/", body, format="json")
        assert answer.status_code == 400, body
    huge = '{"title_id": "a", "starts_at": "2030-01-01", "ends_at": "2030-01-02", "lat": 1e400}'
    answer = api.post(
        f"/api/businesses/{owned.slug}/promotions/", huge, content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "lat"
    assert not Revision.objects.exists() and not Claim.objects.exists()
    assert not Promotion.objects.exists()
    assert Business.objects.get(pk=owned.pk).name == "Kopi Ambun"


def test_it_documents_the_request_bodies_from_the_serializers_that_check_them(
    client: Client, db: None
) -> None:
    schema = client.get("/api/schema/?format=json").json()
    bodies = schema["components"]["schemas"]
    assert {"message", "contact_phone"} <= set(bodies["Claim"]["properties"])
    assert {"name", "location", "opening_hours"} <= set(bodies["Revision"]["properties"])
    assert {"kind", "starts_at", "ends_at", "lat", "lon"} <= set(bodies["Promotion"]["properties"])


def test_it_documents_the_list_queries_from_the_serializers_that_check_them(
    client: Client, db: None
) -> None:
    paths = client.get("/api/schema/?format=json").json()["paths"]
    listing = {p["name"]: p for p in paths["/api/businesses/"]["get"]["parameters"]}
    assert {"in_bbox", "q", "category", "open_now"} <= set(listing)
    assert "bordir" in listing["category"]["schema"]["enum"]
    assert listing["open_now"]["schema"]["type"] == "boolean"
    promotions = paths["/api/businesses/promotions/"]["get"]["parameters"]
    assert {"in_bbox", "current", "kind"} <= {p["name"] for p in promotions}


def test_it_lists_every_problem_of_a_list_query_at_once(client: Client, db: None) -> None:
    answer = client.get("/api/businesses/", {"category": "mars", "open_now": "maybe"})
    assert answer.status_code == 400
    assert [p["field"] for p in answer.json()["errors"]] == ["category", "open_now"]
