"""Validation of places and announcements: opening hours, points, scope and time window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from geo_klik.information import actions
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo
from tests.conftest import TinyCity
from tests.information.conftest import MakeAnnouncement, MakePlace


def test_it_derives_the_kelurahan_from_the_point(make_place: MakePlace) -> None:
    place = make_place("pasar-timur", -0.015, 100.015, category=Place.Category.MARKET)

    assert place.kelurahan is not None
    assert place.kelurahan.name == "Timur Selatan"

    place.location = geo.point(-0.005, 100.005)
    actions.save_place(place)
    place.refresh_from_db()
    assert place.kelurahan is not None
    assert place.kelurahan.name == "Barat Utara"


def test_it_allows_a_place_just_outside_the_city_without_a_kelurahan(
    make_place: MakePlace,
) -> None:
    place = make_place("tepi-ngarai", -0.005, 99.99)  # about 1.1 km west of the city

    assert place.kelurahan is None


def test_it_normalises_valid_opening_hours(make_place: MakePlace) -> None:
    place = make_place(
        "museum", opening_hours=[{"days": [4, 0, 0], "opens": "08:00", "closes": "16:00"}]
    )

    place.refresh_from_db()
    assert place.opening_hours == [{"days": [0, 4], "opens": "08:00", "closes": "16:00"}]


@pytest.mark.parametrize(
    "hours",
    [
        [{"days": [7], "opens": "08:00", "closes": "16:00"}],
        [{"days": [0], "opens": "8:00", "closes": "16:00"}],
        [{"days": [0], "opens": "08:00", "closes": "08:00"}],
        [{"days": [0], "opens": "08:00"}],
        {"days": [0], "opens": "08:00", "closes": "16:00"},
        "Senin-Jumat 08.00-16.00",
    ],
)
def test_it_rejects_malformed_opening_hours_in_both_languages(
    make_place: MakePlace, hours: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_place("salah", opening_hours=hours)

    messages = caught.value.message_dict["opening_hours"]
    assert "Jam buka harus" in messages[0] and "Opening hours must" in messages[0]
    assert not Place.objects.filter(slug="salah").exists()


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (100.005, -0.005),  # latitude and longitude swapped
        (-0.9, 100.35),  # Padang, 100 km away
        (-0.005, 100.2),  # 19 km outside the tiny city
    ],
)
def test_it_rejects_a_point_far_from_the_city(
    make_place: MakePlace, lat: float, lon: float
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_place("jauh", lat, lon)

    message = caught.value.message_dict["location"][0]
    assert "tertukar" in message and "swapped" in message


def test_it_checks_points_against_jam_gadang_before_boundaries_are_loaded(db: None) -> None:
    near_jam_gadang = Place(
        slug="dekat", name="Dekat", category="tourism", location=geo.point(-0.31, 100.37)
    )
    actions.save_place(near_jam_gadang)
    assert near_jam_gadang.kelurahan is None

    with pytest.raises(ValidationError):
        actions.save_place(
            Place(slug="jauh", name="Jauh", category="tourism", location=geo.point(-0.9, 100.35))
        )


def test_it_requires_the_kelurahan_of_a_kelurahan_announcement(
    make_announcement: MakeAnnouncement,
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_announcement("Gotong royong", scope=Announcement.Scope.KELURAHAN)

    assert "kelurahan" in caught.value.message_dict


def test_it_rejects_a_kelurahan_on_a_whole_city_announcement(
    make_announcement: MakeAnnouncement, tiny_city: TinyCity
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_announcement(
            "Kota", scope=Announcement.Scope.CITY, kelurahan=tiny_city.kelurahan["Barat Utara"]
        )

    assert "whole-city announcement has no kelurahan" in caught.value.message_dict["kelurahan"][0]


def test_it_rejects_an_expiry_before_publication(make_announcement: MakeAnnouncement) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        make_announcement("Mundur", published_at=now, expires_at=now - dt.timedelta(hours=1))

    assert "expires_at" in caught.value.message_dict


def test_the_database_refuses_an_inconsistent_scope(tiny_city: TinyCity) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(
            title_id="Tanpa kelurahan", body_id="x", scope=Announcement.Scope.KELURAHAN
        )


def test_it_rejects_an_announcement_point_far_away(make_announcement: MakeAnnouncement) -> None:
    with pytest.raises(ValidationError) as caught:
        make_announcement("Jauh", location=geo.point(-0.9, 100.35))

    assert "location" in caught.value.message_dict


def test_it_falls_back_to_indonesian_where_english_is_blank(make_place: MakePlace) -> None:
    place = make_place("pasar", name="Pasar Atas", name_en="", description_id="Pasar di kota")

    with translation.override("en"):
        assert place.title == "Pasar Atas"
        assert place.description == "Pasar di kota"
    place.name_en = "Upper Market"
    with translation.override("en"):
        assert place.title == "Upper Market"
    with translation.override("id"):
        assert place.title == "Pasar Atas"
