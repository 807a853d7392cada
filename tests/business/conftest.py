"""Fixtures of the business directory tests: people, listings on the tiny city, a set clock.

The tiny city (tests/conftest.py) is four 0.01° squares; Barat Utara spans lon 100.00-100.01,
lat -0.01-0.00, Timur Utara lon 100.01-100.02. The clock is Wednesday 8 January 2025, 10:00 WIB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from rest_framework.test import APIClient

from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.business import actions, inputs, queries
from geo_klik.business.models import Business, Promotion
from geo_klik.lib import opening_hours
from tests.conftest import TinyCity

NOW = dt.datetime(2025, 1, 8, 10, 0, tzinfo=opening_hours.WIB)  # a Wednesday
BARAT = (-0.005, 100.005)
TIMUR = (-0.005, 100.015)
OUTSIDE = (-0.5, 100.5)
WORKDAYS_9_TO_5 = [{"days": [0, 1, 2, 3, 4], "opens": "09:00", "closes": "17:00"}]
WEEKEND_ONLY = [{"days": [5, 6], "opens": "09:00", "closes": "17:00"}]
PASSWORD = "correct horse battery staple"


@dataclass
class People:
    resident: AbstractUser
    resident2: AbstractUser
    resident3: AbstractUser
    moderator: AbstractUser
    planner: AbstractUser  # staff, but not a moderating role

    def api(self, user: AbstractUser | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(queries, "current_time", lambda: NOW)
    return NOW


@pytest.fixture
def people(settings: Any, django_user_model: Any) -> People:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def resident(name: str) -> AbstractUser:
        made: AbstractUser = django_user_model.objects.create_user(name, password=PASSWORD)
        return made

    return People(
        resident=resident("siti"),
        resident2=resident("budi"),
        resident3=resident("rina"),
        moderator=account_actions.create_staff_user(
            "moderator", role=roles.MODERATOR, password=PASSWORD
        ),
        planner=account_actions.create_staff_user("planner", role=roles.PLANNER, password=PASSWORD),
    )


MakeBusiness = Callable[..., Business]


@pytest.fixture
def make_business(tiny_city: TinyCity) -> MakeBusiness:
    """A published listing (by default) in Barat Utara, built through the seed's action."""
    count = [0]

    def make(
        name: str = "Nasi Kapau Uni Ros",
        *,
        where: tuple[float, float] = BARAT,
        category: str = "kuliner",
        hours: list[opening_hours.Period] | None = None,
        status: str = Business.Status.PUBLISHED,
        owner: AbstractUser | None = None,
        **data: Any,
    ) -> Business:
        count[0] += 1
        extra = {
            k: data.pop(k) for k in ("is_demo", "verified", "location_approximate") if k in data
        }
        fields = {
            "name": name,
            "category": category,
            "location": {"lat": where[0], "lon": where[1]},
            "opening_hours": WORKDAYS_9_TO_5 if hours is None else hours,
            **data,
        }
        cleaned = inputs.checked(inputs.ListingSerializer, fields)
        business = actions.create_published(cleaned, slug=f"usaha-{count[0]}", owner=owner, **extra)
        if status != Business.Status.PUBLISHED:
            business.status = status
            business.save()
        return business

    return make


MakePromotion = Callable[..., Promotion]


@pytest.fixture
def make_promotion() -> MakePromotion:
    def make(
        business: Business,
        *,
        title: str = "Diskon 10%",
        starts: dt.datetime = NOW - dt.timedelta(days=1),
        ends: dt.datetime = NOW + dt.timedelta(days=10),
        status: str = Promotion.Status.PUBLISHED,
        **fields: Any,
    ) -> Promotion:
        return Promotion.objects.create(
            business=business,
            kind=fields.pop("kind", Promotion.Kind.PROMOTION),
            title_id=title,
            starts_at=starts,
            ends_at=ends,
            status=status,
            **fields,
        )

    return make


def problem_fields(answer: Any) -> list[str | None]:
    return [p["field"] for p in answer.json()["errors"]]


def problem_codes(answer: Any) -> list[str]:
    return [p["code"] for p in answer.json()["errors"]]
