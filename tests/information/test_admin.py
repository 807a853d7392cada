"""Admin pages of places and announcements: they open, save through the actions, keep input."""

from __future__ import annotations

from typing import Any

from django.test import Client

from geo_klik.information.models import Announcement, Place
from tests.conftest import TinyCity
from tests.information.conftest import MakeAnnouncement, MakePlace

PLACE_FORM: dict[str, Any] = {
    "name": "Pasar Baru",
    "name_en": "New Market",
    "slug": "pasar-baru",
    "category": "market",
    "description_id": "Pasar.",
    "description_en": "",
    "location": "SRID=4326;POINT (100.015 -0.015)",  # the real widget posts EPSG:3857
    "location_approximate": "on",
    "address": "",
    "opening_hours": '[{"days": [0, 1, 2, 3, 4, 5, 6], "opens": "07:00", "closes": "18:00"}]',
    "price_note_id": "",
    "price_note_en": "",
    "phone": "",
    "website": "",
}


def test_it_lists_and_opens_both_models(
    admin_client: Client, make_place: MakePlace, make_announcement: MakeAnnouncement
) -> None:
    place = make_place("museum")
    announcement = make_announcement("Air mati")

    for url in (  # the map widget loads OpenLayers from our static files
        "/admin/information/place/",
        f"/admin/information/place/{place.pk}/change/",
        "/admin/information/place/add/",
        "/admin/information/announcement/",
        f"/admin/information/announcement/{announcement.pk}/change/",
        "/admin/information/announcement/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_it_adds_a_place_and_derives_its_kelurahan(
    admin_client: Client, tiny_city: TinyCity
) -> None:
    response = admin_client.post("/admin/information/place/add/", PLACE_FORM)

    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(slug="pasar-baru")
    assert place.kelurahan is not None and place.kelurahan.name == "Timur Selatan"
    assert place.opening_hours[0]["opens"] == "07:00"


def test_it_refuses_bad_hours_and_keeps_what_was_typed(
    admin_client: Client, tiny_city: TinyCity
) -> None:
    response = admin_client.post(
        "/admin/information/place/add/", {**PLACE_FORM, "opening_hours": '[{"days": [9]}]'}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Opening hours must be a list" in page
    assert 'value="Pasar Baru"' in page
    assert not Place.objects.exists()


def test_it_refuses_a_kelurahan_announcement_without_its_kelurahan(
    admin_client: Client, tiny_city: TinyCity
) -> None:
    response = admin_client.post(
        "/admin/information/announcement/add/",
        {
            "title_id": "Gotong royong",
            "title_en": "",
            "body_id": "Sabtu pagi.",
            "body_en": "",
            "is_important": "",
            "published_at_0": "2026-11-29",
            "published_at_1": "08:00:00",
            "expires_at_0": "",
            "expires_at_1": "",
            "scope": "kelurahan",
            "kelurahan": "",
            "location": "",
            "agency": "",
            "issuer": "Lurah",
            "code": "",
        },
    )

    assert response.status_code == 200
    assert "Choose the kelurahan" in response.content.decode()
    assert not Announcement.objects.exists()
