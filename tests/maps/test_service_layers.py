"""The service-area layer registry and what the map pages hand service_layers.js."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from geo_klik.lib import layers
from geo_klik.maps import client


def layer(key: str, area: str, **extra: object) -> layers.Layer:
    return layers.Layer(
        key=key,
        area=area,
        label=f"Label {key}",
        icon="📍",
        colour="#123456",
        url_name="maps-kelurahan-outlines",
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, layers.Layer]:
    fresh: dict[str, layers.Layer] = {}
    monkeypatch.setattr(layers, "_REGISTRY", fresh)
    monkeypatch.setattr(layers, "_SEARCH_ONLY", {})
    return fresh


def test_it_orders_layers_by_service_area_then_order(registry: dict[str, layers.Layer]) -> None:
    layers.register(layer("offices", layers.PUBLIC_SERVICES))
    layers.register(layer("events", layers.COMMUNITY, order=2))
    layers.register(layer("posts", layers.COMMUNITY, order=1))
    layers.register(layer("secret", layers.BUSINESS, staff_only=True))
    assert [x.key for x in layers.all_layers()] == ["posts", "events", "offices"]
    assert [x.key for x in layers.all_layers(include_staff=True)] == [
        "posts",
        "events",
        "secret",
        "offices",
    ]


def test_it_refuses_a_second_different_layer_with_the_same_key(
    registry: dict[str, layers.Layer],
) -> None:
    layers.register(layer("places", layers.INFORMATION))
    layers.register(layer("places", layers.INFORMATION))  # the same again: harmless
    with pytest.raises(layers.DuplicateLayer):
        layers.register(layer("places", layers.BUSINESS))
    with pytest.raises(ValueError, match="unknown service area"):
        layers.register(layer("x", "shopping"))


def test_it_lists_each_search_once(registry: dict[str, layers.Layer]) -> None:
    def search(query: layers.SearchQuery) -> list[layers.SearchHit]:
        return []

    layers.register(layer("posts", layers.COMMUNITY, search=search))
    layers.register(layer("events", layers.COMMUNITY, search=search))
    layers.register_search(layers.SearchSource("klik", layers.KLIK, search))
    assert [s.key for s in layers.search_sources()] == ["events"]  # key order within an area


def test_it_hands_the_pages_translated_labels_and_endpoint_urls(
    registry: dict[str, layers.Layer],
) -> None:
    layers.register(layer("offices", layers.PUBLIC_SERVICES, default_on=True))
    config = client.layer_config()
    assert config == [
        {
            "key": "offices",
            "area": "public_services",
            "label": "Label offices",
            "icon": "📍",
            "colour": "#123456",
            "url": "/maps/kelurahan-outlines.geojson",
            "defaultOn": True,
        }
    ]


@pytest.mark.parametrize("url", ["/lapor/", "/peta/"])
def test_the_resident_maps_load_the_layers(client: Client, db: None, url: str) -> None:
    html = client.get(url).content.decode()
    assert "/static/maps/service_layers.js" in html
    assert "/static/maps/service_layers.css" in html
    config = json.loads(re.search(r'id="klik-config"[^>]*>(.*?)</script>', html, re.S)[1])  # type: ignore[index]
    keys = [x["key"] for x in config["layers"]["layers"]]
    assert keys == [x.key for x in layers.all_layers()]
    assert config["layers"]["strings"]["details"] == "Rincian"


def test_the_service_worker_keeps_the_layer_script_offline(client: Client, db: None) -> None:
    body = client.get("/sw.js").content.decode()
    assert "/static/maps/service_layers.js" in body
