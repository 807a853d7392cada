"""The information layers are registered with the map registry, with endpoints and search."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from geo_klik.information import queries
from geo_klik.lib import layers


def test_it_registers_the_places_layer_shown_by_default() -> None:
    layer = layers.get("places")

    assert layer is not None
    assert layer.area == layers.INFORMATION
    assert layer.default_on is True
    assert layer.staff_only is False
    assert reverse(layer.url_name) == "/api/info/places/"
    assert layer.search is queries.search_places
    with translation.override("id"):
        assert str(layer.label) == "Tempat menarik"
    with translation.override("en"):
        assert str(layer.label) == "Places of interest"


def test_it_registers_the_announcements_layer() -> None:
    layer = layers.get("announcements")

    assert layer is not None
    assert layer.area == layers.INFORMATION
    assert reverse(layer.url_name) == "/api/info/announcements/map/"
    assert layer.search is queries.search_announcements
    keys = [x.key for x in layers.all_layers() if x.area == layers.INFORMATION]
    assert keys == ["places", "announcements"]
