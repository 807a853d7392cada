"""Fixtures of the information tests: places and announcements on the tiny city.

Tiny-city points (see tests/conftest.py): Barat Utara is lat -0.01..0, lon 100.00..100.01;
0.001° is about 111 m.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from geo_klik.information import actions
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import geo
from geo_klik.lib.opening_hours import EVERY_DAY
from tests.conftest import TinyCity

ALWAYS = [{"days": EVERY_DAY, "opens": "00:00", "closes": "23:59"}]

MakePlace = Callable[..., Place]
MakeAnnouncement = Callable[..., Announcement]


@pytest.fixture
def make_place(tiny_city: TinyCity) -> MakePlace:
    def make(
        slug: str,
        lat: float = -0.005,
        lon: float = 100.005,
        *,
        category: str = Place.Category.TOURISM,
        **fields: Any,
    ) -> Place:
        fields.setdefault("name", slug.replace("-", " ").title())
        return actions.save_place(
            Place(slug=slug, category=category, location=geo.point(lat, lon), **fields)
        )

    return make


@pytest.fixture
def make_announcement(tiny_city: TinyCity) -> MakeAnnouncement:
    def make(
        title: str, *, age: dt.timedelta = dt.timedelta(hours=1), **fields: Any
    ) -> Announcement:
        fields.setdefault("body_id", f"Isi {title}")
        fields.setdefault("published_at", timezone.now() - age)
        if fields.get("kelurahan") is not None:
            fields.setdefault("scope", Announcement.Scope.KELURAHAN)
        return actions.save_announcement(Announcement(title_id=title, **fields))

    return make
