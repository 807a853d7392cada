"""Opening hours of places, businesses and offices: one JSON shape, validated and rendered here.

Stored in a ``JSONField`` as a list of periods, days numbered as Python's ``weekday()``
(0 = Monday ... 6 = Sunday), times in Asia/Jakarta (WIB) local time::

    [{"days": [0, 1, 2, 3], "opens": "08:00", "closes": "16:00"},
     {"days": [4], "opens": "08:00", "closes": "11:30"}]

An empty list means "hours unknown" (not "closed"); ``closes`` before ``opens`` crosses
midnight (a night market 18:00-01:00). Use ``validate`` in model ``clean()`` and serializers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

WIB = ZoneInfo("Asia/Jakarta")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

Period = dict[str, Any]


def validate(value: Any) -> list[Period]:
    """The periods, normalised (days sorted); raises ValidationError with a bilingual message."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise _invalid()
    periods: list[Period] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"days", "opens", "closes"}:
            raise _invalid()
        days, opens, closes = item["days"], item["opens"], item["closes"]
        if (
            not isinstance(days, list)
            or not days
            or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days)
            or not isinstance(opens, str)
            or not isinstance(closes, str)
            or not TIME.match(opens)
            or not TIME.match(closes)
            or opens == closes
        ):
            raise _invalid()
        periods.append({"days": sorted(set(days)), "opens": opens, "closes": closes})
    return periods


def _invalid() -> ValidationError:
    return ValidationError(
        "Jam buka harus berupa daftar {days: [0-6], opens: 'HH:MM', closes: 'HH:MM'} "
        "(0 = Senin). / Opening hours must be a list of {days: [0-6], opens: 'HH:MM', "
        "closes: 'HH:MM'} (0 = Monday).",
        code="invalid_opening_hours",
    )


def is_open(periods: Sequence[Period], at: dt.datetime) -> bool | None:
    """Open at ``at`` (aware)? None when the hours are unknown."""
    if not periods:
        return None
    local = at.astimezone(WIB)
    now = local.strftime("%H:%M")
    yesterday = (local.weekday() - 1) % 7
    for period in periods:
        opens, closes = period["opens"], period["closes"]
        if opens < closes:
            if local.weekday() in period["days"] and opens <= now < closes:
                return True
        else:  # crosses midnight
            if local.weekday() in period["days"] and now >= opens:
                return True
            if yesterday in period["days"] and now < closes:
                return True
    return False


def day_names() -> list[str]:
    """Monday..Sunday in the active language."""
    return [
        gettext("Monday"),
        gettext("Tuesday"),
        gettext("Wednesday"),
        gettext("Thursday"),
        gettext("Friday"),
        gettext("Saturday"),
        gettext("Sunday"),
    ]


def describe(periods: Sequence[Period]) -> str:
    """One line for popups and lists: "Monday–Thursday 08:00–16:00; Friday 08:00–11:30"."""
    if not periods:
        return gettext("Opening hours unknown")
    names = day_names()
    parts = []
    for period in periods:
        parts.append(f"{_day_ranges(period['days'], names)} {period['opens']}–{period['closes']}")
    return "; ".join(parts)


def _day_ranges(days: Sequence[int], names: Sequence[str]) -> str:
    ordered = sorted(set(days))
    if len(ordered) == 7:
        return gettext("Every day")
    runs: list[list[int]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        names[run[0]] if len(run) == 1 else f"{names[run[0]]}–{names[run[-1]]}" for run in runs
    )


# Common shapes for seed data.
OFFICE_HOURS: list[Period] = [
    {"days": [0, 1, 2, 3], "opens": "07:30", "closes": "16:00"},
    {"days": [4], "opens": "07:30", "closes": "16:30"},
]
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
