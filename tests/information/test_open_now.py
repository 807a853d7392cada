"""Open now: a place's hours at a given moment (WIB), in the feature and on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from geo_klik.information import serializers
from geo_klik.lib.opening_hours import WIB
from tests.information.conftest import MakePlace

OFFICE = [
    {"days": [0, 1, 2, 3], "opens": "08:00", "closes": "16:00"},
    {"days": [4], "opens": "08:00", "closes": "11:30"},
]
NIGHT_MARKET = [{"days": [5], "opens": "18:00", "closes": "01:00"}]
MONDAY = dt.date(2026, 11, 30)  # a Monday


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("hours", "moment", "expected"),
    [
        (OFFICE, at(MONDAY, "07:59"), False),
        (OFFICE, at(MONDAY, "08:00"), True),
        (OFFICE, at(MONDAY, "15:59"), True),
        (OFFICE, at(MONDAY, "16:00"), False),
        (OFFICE, at(MONDAY + dt.timedelta(days=4), "12:00"), False),  # Friday afternoon
        (OFFICE, at(MONDAY + dt.timedelta(days=6), "10:00"), False),  # Sunday
        (NIGHT_MARKET, at(MONDAY + dt.timedelta(days=5), "23:00"), True),  # Saturday night
        (NIGHT_MARKET, at(MONDAY + dt.timedelta(days=6), "00:30"), True),  # after midnight
        (NIGHT_MARKET, at(MONDAY + dt.timedelta(days=6), "01:00"), False),
        ([], at(MONDAY, "10:00"), None),  # unknown, not closed
    ],
)
def test_it_says_whether_a_place_is_open(
    make_place: MakePlace, hours: list[dict[str, object]], moment: dt.datetime, expected: object
) -> None:
    place = make_place("kantor", opening_hours=hours)

    assert place.is_open(moment) is expected
    feature = serializers.PlaceFeatureSerializer(place, context={"now": moment}).data
    assert feature["properties"]["open_now"] is expected


def test_it_reads_the_moment_in_wib(make_place: MakePlace) -> None:
    place = make_place("kantor", opening_hours=OFFICE)

    # 01:30 UTC on Monday is 08:30 WIB: open.
    assert place.is_open(dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC)) is True


def test_the_pages_badge_an_always_open_place(client: Client, make_place: MakePlace) -> None:
    make_place(
        "alun-alun",
        name="Alun-alun",
        opening_hours=[{"days": [0, 1, 2, 3, 4, 5, 6], "opens": "00:00", "closes": "23:59"}],
        hours_confirmed=True,
    )
    make_place("tanpa-jam", name="Tanpa Jam")

    page = client.get("/info/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    detail = client.get("/info/tempat/tanpa-jam/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Open but for the last minute of the day; either badge, never none.
    assert ('open-badge">Open now<' in page) or ('closed-badge">Closed now<' in page)
    assert page.count('-badge">') == 1  # the place without hours gets no badge
    assert "Opening hours unknown" in detail
    assert "open-badge" not in detail and "closed-badge" not in detail
