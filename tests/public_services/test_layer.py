"""The "offices" map layer: registered for the public services area, and its search."""

from __future__ import annotations

from django.urls import reverse

from geo_klik.lib import layers
from geo_klik.public_services import search
from tests.public_services.conftest import TinyOffices


def test_it_registers_the_offices_layer() -> None:
    layer = layers.get("offices")
    assert layer is not None
    assert layer.area == layers.PUBLIC_SERVICES and layer.default_on is True
    assert reverse(layer.url_name) == "/api/services/offices/"
    assert layer.search is search.search
    assert layer in layers.all_layers()


def test_it_finds_offices_and_services_by_text(offices: TinyOffices) -> None:
    hits = search.search(layers.SearchQuery(text="akta kelahiran"))
    assert hits[0].title == "Akta kelahiran" and hits[0].url == "/layanan/akta-kelahiran/"
    assert hits[0].lat is None and hits[0].distance_m is None  # no position given
    offices_hits = search.search(layers.SearchQuery(text="lurah barat"))
    assert {h.title for h in offices_hits} >= {
        "Kantor Lurah Barat Utara",
        "Kantor Lurah Barat Selatan",
    }
    assert all(h.area == layers.PUBLIC_SERVICES and h.layer == "offices" for h in offices_hits)


def test_it_finds_services_by_english_text_in_english(offices: TinyOffices) -> None:
    hits = search.search(layers.SearchQuery(text="heirs", language="en"))
    assert hits and hits[0].url == "/layanan/surat-keterangan-ahli-waris/"
    assert hits[0].title.startswith("Certificate of heirs")


def test_it_lists_offices_near_me_nearest_first(offices: TinyOffices) -> None:
    # At the kantor lurah of Barat Utara (seeded about 280 m south of the kelurahan's name
    # label, so its marker does not hide the name); the other offices are further away.
    lurah = offices.lurah("Barat Utara")
    hits = search.search(
        layers.SearchQuery(lat=lurah.location.y, lon=lurah.location.x, radius_m=800)
    )
    assert hits[0].title == "Kantor Lurah Barat Utara"
    assert hits[0].distance_m is not None and hits[0].distance_m < 5
    distances = [h.distance_m for h in hits]
    assert all(d is not None for d in distances)
    assert distances == sorted(distances)  # type: ignore[type-var]
    assert {"Kantor Camat Barat", "Puskesmas Barat"} <= {h.title for h in hits}
    assert hits[0].score > hits[-1].score
    assert search.search(layers.SearchQuery()) == []


def test_it_places_a_service_at_the_office_for_the_searchers_address(
    offices: TinyOffices,
) -> None:
    hits = search.search(layers.SearchQuery(text="domisili", lat=-0.015, lon=100.015))
    service = next(h for h in hits if h.url == "/layanan/surat-keterangan-domisili/")
    lurah = offices.lurah("Timur Selatan")
    assert (service.lat, service.lon) == (lurah.location.y, lurah.location.x)
    # From the middle of Timur Selatan to its kantor lurah, south of the name label.
    assert service.distance_m is not None and 250 < service.distance_m < 300
