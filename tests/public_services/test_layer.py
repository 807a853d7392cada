"""The "offices" map layer: registered for the public services area, and its search."""

from __future__ import annotations

from django.urls import reverse

from geo_klik.maps import layers
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
    # Centre of Barat Utara: its kantor lurah is there (and, in this square city, the seeded
    # kantor camat of Barat too), Puskesmas Barat about 470 m away; Timur's offices are further.
    hits = search.search(layers.SearchQuery(lat=-0.005, lon=100.005, radius_m=600))
    assert {h.title for h in hits[:2]} == {"Kantor Lurah Barat Utara", "Kantor Camat Barat"}
    assert [h.title for h in hits[2:]] == ["Puskesmas Barat"]
    assert all(h.distance_m is not None and h.distance_m < 5 for h in hits[:2])
    assert hits[2].distance_m is not None and 400 < hits[2].distance_m < 550
    assert hits[0].score > hits[2].score
    assert search.search(layers.SearchQuery()) == []


def test_it_places_a_service_at_the_office_for_the_searchers_address(
    offices: TinyOffices,
) -> None:
    hits = search.search(layers.SearchQuery(text="domisili", lat=-0.015, lon=100.015))
    service = next(h for h in hits if h.url == "/layanan/surat-keterangan-domisili/")
    lurah = offices.lurah("Timur Selatan")
    assert (service.lat, service.lon) == (lurah.location.y, lurah.location.x)
    assert service.distance_m is not None and service.distance_m < 5
