"""Opening hours: validation, "open now" (including past midnight) and the one-line text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from geo_klik.lib import opening_hours

WEEKDAYS = [{"days": [0, 1, 2, 3], "opens": "08:00", "closes": "16:00"}]
NIGHT_MARKET = [{"days": [5], "opens": "18:00", "closes": "01:00"}]


def wib(day: int, hour: int, minute: int = 0) -> dt.datetime:
    # 2026-11-23 is a Monday.
    return dt.datetime(2026, 11, 23 + day, hour, minute, tzinfo=opening_hours.WIB)


def test_it_normalises_valid_periods() -> None:
    value = [{"days": [3, 1, 1], "opens": "08:00", "closes": "12:00"}]
    assert opening_hours.validate(value) == [{"days": [1, 3], "opens": "08:00", "closes": "12:00"}]
    assert opening_hours.validate(None) == []


@pytest.mark.parametrize(
    "value",
    [
        "08:00-16:00",
        [{"days": [7], "opens": "08:00", "closes": "16:00"}],
        [{"days": [], "opens": "08:00", "closes": "16:00"}],
        [{"days": [True], "opens": "08:00", "closes": "16:00"}],
        [{"days": [1], "opens": "8:00", "closes": "16:00"}],
        [{"days": [1], "opens": "24:00", "closes": "16:00"}],
        [{"days": [1], "opens": "08:00", "closes": "08:00"}],
        [{"days": [1], "opens": "08:00"}],
    ],
)
def test_it_refuses_malformed_hours_in_both_languages(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        opening_hours.validate(value)
    assert "Jam buka" in caught.value.messages[0]
    assert "Opening hours" in caught.value.messages[0]


def test_it_knows_when_a_place_is_open() -> None:
    assert opening_hours.is_open(WEEKDAYS, wib(0, 8)) is True
    assert opening_hours.is_open(WEEKDAYS, wib(0, 16)) is False
    assert opening_hours.is_open(WEEKDAYS, wib(4, 10)) is False
    assert opening_hours.is_open([], wib(0, 10)) is None
    # The same instant in UTC (01:00 UTC is 08:00 WIB).
    assert opening_hours.is_open(WEEKDAYS, wib(0, 8).astimezone(dt.UTC)) is True


def test_it_handles_hours_past_midnight() -> None:
    assert opening_hours.is_open(NIGHT_MARKET, wib(5, 23)) is True
    assert opening_hours.is_open(NIGHT_MARKET, wib(6, 0, 30)) is True  # Sunday 00:30
    assert opening_hours.is_open(NIGHT_MARKET, wib(6, 1)) is False
    assert opening_hours.is_open(NIGHT_MARKET, wib(4, 0, 30)) is False


def test_it_describes_hours_in_the_active_language() -> None:
    periods = opening_hours.OFFICE_HOURS
    with translation.override("en"):
        assert opening_hours.describe(periods) == "Monday–Thursday 07:30–16:00; Friday 07:30–16:30"
        assert opening_hours.describe([]) == "Opening hours unknown"
    with translation.override("id"):
        assert opening_hours.describe(periods) == "Senin–Kamis 07:30–16:00; Jumat 07:30–16:30"
        every_day = [{"days": opening_hours.EVERY_DAY, "opens": "06:00", "closes": "18:00"}]
        assert opening_hours.describe(every_day) == "Setiap hari 06:00–18:00"
