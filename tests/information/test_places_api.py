"""GET /api/info/places/: the "places" GeoJSON layer; GET /api/info/places/<slug>/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from geo_klik.information.models import Place
from geo_klik.lib import layers
from tests.information.conftest import ALWAYS, MakePlace

URL = "/api/info/places/"
BARAT_UTARA_BOX = "100.0,-0.01,100.01,0.0"


@pytest.fixture
def places(make_place: MakePlace) -> dict[str, Place]:
    return {
        "pasar": make_place(
            "pasar-barat",
            -0.005,
            100.005,
            category=Place.Category.MARKET,
            name="Pasar Barat",
            name_en="West Market",
            opening_hours=ALWAYS,
        ),
        "museum": make_place("museum-barat", -0.006, 100.006, name="Museum Barat"),
        "rs": make_place(
            "rs-timur", -0.015, 100.015, category=Place.Category.HEALTH, name="RS Timur"
        ),
    }


def features(response: Any) -> dict[str, dict[str, Any]]:
    return {f["properties"]["slug"]: f for f in response.json()["features"]}


def test_it_answers_point_features_with_the_layer_contract(
    client: Client, places: dict[str, Place]
) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert "truncated" not in body
    found = features(response)
    assert set(found) == {"pasar-barat", "museum-barat", "rs-timur"}
    pasar = found["pasar-barat"]
    assert pasar["geometry"] == {"type": "Point", "coordinates": [100.005, -0.005]}
    props = pasar["properties"]
    assert props["layer"] == "places"
    assert props["id"] == places["pasar"].pk
    assert props["url"] == "/info/tempat/pasar-barat/"
    assert props["approximate"] is True
    assert props["category"] == "market"
    assert props["icon"] == "🛒"
    assert props["kelurahan"] == "Barat Utara"
    assert props["opening_hours"] == "Setiap hari 00:00–23:59"
    assert props["open_now"] in (True, False)  # always open but for the minute 23:59
    assert found["museum-barat"]["properties"]["open_now"] is None  # hours unknown
    assert found["museum-barat"]["properties"]["opening_hours"] == "Jam buka tidak diketahui"


def test_it_filters_by_bounding_box(client: Client, places: dict[str, Place]) -> None:
    response = client.get(URL, {"in_bbox": BARAT_UTARA_BOX})

    assert set(features(response)) == {"pasar-barat", "museum-barat"}
    assert client.get(URL, {"in_bbox": "100.5,-0.5,100.6,-0.4"}).json()["features"] == []


def test_it_filters_by_category(client: Client, places: dict[str, Place]) -> None:
    response = client.get(URL, {"category": "health"})

    assert set(features(response)) == {"rs-timur"}
    response = client.get(URL, {"category": "market", "in_bbox": BARAT_UTARA_BOX})
    assert set(features(response)) == {"pasar-barat"}


def test_it_names_an_unknown_category_in_both_languages(
    client: Client, places: dict[str, Place]
) -> None:
    response = client.get(URL, {"category": "casino"})

    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert problem["field"] == "category"
    assert problem["code"] == "unknown_category"
    assert problem["message"].startswith("Kategori tidak dikenal")
    assert problem["message_en"].startswith("Unknown category")
    assert "tourism" in problem["message_en"]


@pytest.mark.parametrize("box", ["1,2", "a,b,c,d", "100.1,-0.1,100.0,0.0", "100,-91,101,0"])
def test_it_names_a_bad_bounding_box_in_both_languages(
    client: Client, places: dict[str, Place], box: str
) -> None:
    response = client.get(URL, {"in_bbox": box})

    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert problem["field"] == "in_bbox"
    assert "derajat" in problem["message"] and "degrees" in problem["message_en"]


def test_it_cuts_at_the_layer_limit_and_says_so(
    client: Client, places: dict[str, Place], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layers, "MAX_FEATURES", 2)

    body = client.get(URL).json()

    assert len(body["features"]) == 2
    assert body["truncated"] is True
    monkeypatch.setattr(layers, "MAX_FEATURES", 3)
    assert "truncated" not in client.get(URL).json()


def test_it_speaks_the_language_of_the_request(client: Client, places: dict[str, Place]) -> None:
    english = features(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))["pasar-barat"]["properties"]
    indonesian = features(client.get(URL, HTTP_ACCEPT_LANGUAGE="id"))["pasar-barat"]["properties"]

    assert english["title"] == "West Market"
    assert english["category_label"] == "Market"
    assert english["opening_hours"] == "Every day 00:00–23:59"
    assert indonesian["title"] == "Pasar Barat"
    assert indonesian["category_label"] == "Pasar"
    assert indonesian["subtitle"] == "Pasar · Setiap hari 00:00–23:59"


def test_it_answers_one_place_with_both_languages(client: Client, places: dict[str, Place]) -> None:
    body = client.get(f"{URL}pasar-barat/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["slug"] == "pasar-barat"
    assert body["title"] == "West Market"
    assert (body["name"], body["name_en"]) == ("Pasar Barat", "West Market")
    assert (body["lat"], body["lon"]) == (-0.005, 100.005)
    assert body["kelurahan"] == "Barat Utara"
    assert body["location_approximate"] is True
    assert body["hours_confirmed"] is False
    assert body["opening_hours"] == ALWAYS
    assert body["url"] == "/info/tempat/pasar-barat/"


def test_it_answers_an_unknown_place_with_a_bilingual_404(
    client: Client, places: dict[str, Place]
) -> None:
    response = client.get(f"{URL}tidak-ada/")

    assert response.status_code == 404
    [problem] = response.json()["errors"]
    assert problem["code"] == "not_found"
    assert problem["message"] and problem["message_en"]


def test_it_documents_the_endpoints_in_the_schema(client: Client, db: None) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "/api/info/places/" in schema["paths"]
    assert "/api/info/places/{slug}/" in schema["paths"]
    assert "/api/info/announcements/" in schema["paths"]
    assert "/api/info/announcements/map/" in schema["paths"]


def test_it_leaves_out_a_place_on_the_edge_of_the_box(
    client: Client, make_place: MakePlace
) -> None:
    # The places layer tests the box with ``within``, as it always did: a point on its edge is out.
    make_place("on-the-edge", lat=-0.005, lon=100.005)
    make_place("inside", lat=-0.004, lon=100.006)
    body = client.get("/api/info/places/", {"in_bbox": "100.005,-0.006,100.007,-0.003"}).json()
    assert [f["properties"]["slug"] for f in body["features"]] == ["inside"]
