"""The one map-layer contract (geo_klik.lib.layers) on every registered layer's endpoint."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.test import APIClient

from geo_klik.information.models import Place
from geo_klik.lib import layers
from tests.conftest import TinyCity

EVERY_LAYER = [
    "community_posts",
    "community_events",
    "places",
    "announcements",
    "businesses",
    "business_promotions",
    "offices",
]
HOSTILE_BOXES = [
    "a,b,c,d",
    "1,2,3",
    "1,2,3,4,5",
    ",,,",
    "nan,0,1,1",
    "0,0,inf,1",
    "1e309,0,1,1",
    "100.4,-0.3,100.3,-0.2",  # west > east
    "100.3,-0.2,100.4,-0.3",  # south > north
    "0,0,0,0",
    "-181,0,0,1",
    "0,-91,1,0",
    "0x10,0,1,1",
    "1," * 5000 + "1",
]


def layer_url(key: str) -> str:
    layer = layers.get(key)
    assert layer is not None, key
    return reverse(layer.url_name)


def test_it_discovers_every_apps_layer_declaration() -> None:
    # Declared in <app>/layers.py, imported by autodiscover_modules("layers") in maps' ready().
    assert [layer.key for layer in layers.all_layers()] == EVERY_LAYER
    assert "klik" in [source.key for source in layers.search_sources()]


@pytest.mark.parametrize("key", EVERY_LAYER)
@pytest.mark.parametrize("box", HOSTILE_BOXES)
def test_it_refuses_a_bad_box_in_both_languages_naming_it(
    tiny_city: TinyCity, key: str, box: str
) -> None:
    answer = APIClient().get(layer_url(key), {"in_bbox": box})
    assert answer.status_code == 400
    [problem] = answer.json()["errors"]
    assert problem["field"] == "in_bbox" and problem["code"] == "invalid"
    assert "WGS84" in problem["message"] and "WGS84" in problem["message_en"]


@pytest.mark.parametrize("key", EVERY_LAYER)
def test_it_refuses_a_box_with_a_nul_naming_it(tiny_city: TinyCity, key: str) -> None:
    # PostgreSQL cannot store a NUL: refused before any view (lib.middleware), naming the field.
    answer = APIClient().get(layer_url(key), {"in_bbox": "1,2,3,4\x00"})
    assert answer.status_code == 400
    assert [p["field"] for p in answer.json()["errors"]] == ["in_bbox"]


@pytest.mark.parametrize("key", EVERY_LAYER)
def test_it_answers_an_empty_box_as_an_empty_collection(tiny_city: TinyCity, key: str) -> None:
    answer = APIClient().get(layer_url(key), {"in_bbox": "10,10,11,11"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/geo+json")
    body = answer.json()
    assert body["type"] == "FeatureCollection" and body["features"] == []
    # The community layers always say whether they were cut; the others only when they were.
    assert body.get("truncated", False) is False


@pytest.mark.parametrize("key", EVERY_LAYER)
def test_it_refuses_writes(tiny_city: TinyCity, key: str) -> None:
    for method in ("post", "put", "patch", "delete"):
        assert getattr(APIClient(), method)(layer_url(key), {}).status_code in (401, 403, 405)


def test_it_rounds_a_point_to_the_layers_decimals() -> None:
    point = Point(100.123456789, -0.987654321, srid=4326)
    assert layers.PointField(decimals=5).to_representation(point) == {
        "type": "Point",
        "coordinates": [100.12346, -0.98765],
    }
    assert layers.PointField(decimals=7).to_representation(point)["coordinates"] == [
        100.1234568,
        -0.9876543,
    ]


def test_it_makes_a_layer_declare_every_property() -> None:
    # A field ModelSerializer would build from the model costs milliseconds on every request.
    class Careless(layers.FeatureSerializer):
        class Meta(layers.FeatureSerializer.Meta):
            model = Place
            fields = (*layers.FeatureSerializer.COMMON_FIELDS, "slug")

    with pytest.raises(ImproperlyConfigured, match=r"Careless\.slug must be declared"):
        _ = Careless().fields
