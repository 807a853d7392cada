"""The pages /info/, /info/tempat/<slug>/ in Indonesian and English, filters and near me."""

from __future__ import annotations

import pytest
from django.test import Client

from geo_klik.information.models import Place
from tests.information.conftest import ALWAYS, MakeAnnouncement, MakePlace


@pytest.fixture
def places(make_place: MakePlace) -> dict[str, Place]:
    return {
        "pasar": make_place(
            "pasar-barat",
            -0.005,
            100.006,
            category=Place.Category.MARKET,
            name="Pasar Barat",
            name_en="West Market",
            description_id="Pasar sayur.",
            description_en="A vegetable market.",
            opening_hours=ALWAYS,
            price_note_id="Cek harga di lokasi.",
            price_note_en="Check the price on site.",
            address="Jl. Contoh 1",
        ),
        "rs": make_place(
            "rs-kota", -0.005, 100.009, category=Place.Category.HEALTH, name="RSUD Kota"
        ),
        "ngarai": make_place("ngarai", -0.005, 99.995, name="Ngarai", location_approximate=True),
    }


def test_it_shows_announcements_and_places_by_category_in_indonesian(
    client: Client, places: dict[str, Place], make_announcement: MakeAnnouncement
) -> None:
    make_announcement("Biasa")
    make_announcement("Penting sekali", is_important=True, is_demo=True)

    response = client.get("/info/", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["page"] == "information"
    assert page.index("Penting sekali") < page.index("Biasa")  # important first
    assert "Pengumuman" in page and "Tempat menarik" in page
    assert 'id="kategori-market"' in page and 'id="kategori-health"' in page
    assert "Pasar Barat" in page and "RSUD Kota" in page
    assert "perlu dikonfirmasi" in page
    assert "Contoh" in page  # the demo announcement says it is an example
    assert 'data-map="' in page


def test_it_speaks_english_on_request(client: Client, places: dict[str, Place]) -> None:
    page = client.get("/info/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Announcements" in page and "Places of interest" in page
    assert "West Market" in page
    assert "No current announcements." in page
    assert "to be confirmed" in page


def test_it_filters_by_category_without_javascript(
    client: Client, places: dict[str, Place]
) -> None:
    page = client.get("/info/", {"kategori": "health"}).content.decode()

    assert "RSUD Kota" in page and "Pasar Barat" not in page
    assert '<option value="health" selected>' in page


def test_it_says_when_the_category_is_unknown_and_shows_all(
    client: Client, places: dict[str, Place]
) -> None:
    page = client.get("/info/", {"kategori": "kasino"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "Kategori tidak dikenal" in page
    assert "RSUD Kota" in page and "Pasar Barat" in page


def test_it_searches_by_text(client: Client, places: dict[str, Place]) -> None:
    page = client.get("/info/", {"q": "market"}).content.decode()

    assert "Pasar Barat" in page and "RSUD Kota" not in page
    assert 'value="market"' in page  # what was typed is kept


def test_it_lists_what_is_near_with_distances(client: Client, places: dict[str, Place]) -> None:
    response = client.get("/info/", {"lat": "-0.005", "lon": "100.005"}, HTTP_ACCEPT_LANGUAGE="en")

    rows = response.context["rows"]
    assert [r["place"].slug for r in rows] == ["pasar-barat", "rs-kota", "ngarai"]
    assert [r["distance_m"] for r in rows] == pytest.approx([111, 445, 1113], abs=2)
    page = response.content.decode()
    assert "111 m away" in page


def test_it_keeps_going_when_the_position_is_garbage(
    client: Client, places: dict[str, Place]
) -> None:
    page = client.get(
        "/info/", {"lat": "abc", "lon": "100"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Your position could not be read" in page
    assert "RSUD Kota" in page


def test_the_place_page_shows_hours_price_address_and_position(
    client: Client, places: dict[str, Place]
) -> None:
    indonesian = client.get("/info/tempat/pasar-barat/", HTTP_ACCEPT_LANGUAGE="id")
    english = client.get("/info/tempat/pasar-barat/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert indonesian.status_code == 200
    page = indonesian.content.decode()
    assert "Pasar Barat" in page and "Pasar sayur." in page
    assert "Setiap hari 00:00–23:59" in page and "perlu dikonfirmasi" in page
    assert "Cek harga di lokasi." in page and "Jl. Contoh 1" in page
    assert "posisi perkiraan" in page
    assert "Barat Utara" in page
    assert "West Market" in english and "A vegetable market." in english
    assert "Every day 00:00–23:59" in english and "Check the price on site." in english
    assert "approximate position" in english


def test_the_place_page_says_when_a_place_is_outside_the_city(
    client: Client, places: dict[str, Place]
) -> None:
    page = client.get("/info/tempat/ngarai/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Outside the kelurahan of Kota Contoh" in page
    assert client.get("/info/tempat/tidak-ada/").status_code == 404
