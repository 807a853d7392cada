"""The two map layers are registered with working endpoints and search callables."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from geo_klik.business import search
from geo_klik.lib import layers


def test_it_registers_the_businesses_and_promotions_layers(client: Client, db: None) -> None:
    businesses = layers.get("businesses")
    promotions = layers.get("business_promotions")
    assert businesses is not None and promotions is not None
    assert businesses.area == promotions.area == layers.BUSINESS
    assert businesses.search is search.search_businesses
    assert promotions.search is search.search_promotions
    assert not businesses.staff_only and not promotions.staff_only
    for layer in (businesses, promotions):
        answer = client.get(reverse(layer.url_name), {"in_bbox": "100,-0.02,100.02,0"})
        assert answer.status_code == 200
        assert answer.json() == {"type": "FeatureCollection", "features": []}
    keys = [layer.key for layer in layers.all_layers() if layer.area == layers.BUSINESS]
    assert keys == ["businesses", "business_promotions"]
