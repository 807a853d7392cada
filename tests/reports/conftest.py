"""Fixtures of the KLIK intake tests: categories on the tiny city, a seeded Bukittinggi."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings

from geo_klik.dispatch.actions import seeding
from geo_klik.reports.models import Category
from tests.conftest import TinyCity

# The middle of kelurahan Barat Utara in the tiny city (see tests/conftest.py).
TINY_LAT, TINY_LON = -0.005, 100.005


@pytest.fixture(autouse=True)
def isolated_media_and_limits(settings: Settings, tmp_path: Path) -> None:
    """Photos go to a temporary directory; the rate limit is off unless a test turns it on."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORTS_RATE_LIMIT = ""
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = ""
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = ""


@pytest.fixture
def categories(tiny_city: TinyCity) -> dict[str, Category]:
    """Two categories on the tiny city: garbage (plain) and crime (sensitive)."""
    return {
        "garbage": Category.objects.create(
            code="garbage",
            name_id="Sampah",
            name_en="Garbage",
            priority=Category.Priority.MEDIUM,
            ack_target=timedelta(hours=4),
            resolve_target=timedelta(days=2),
        ),
        "crime": Category.objects.create(
            code="crime",
            name_id="Kejahatan",
            name_en="Crime",
            priority=Category.Priority.CRITICAL,
            ack_target=timedelta(minutes=5),
            resolve_target=timedelta(days=1),
            sensitive=True,
        ),
    }


@pytest.fixture
def seeded(bukittinggi: Any) -> dict[str, int]:
    """The real kelurahan with the seeded categories, agencies and jurisdictions."""
    return seeding.seed_reference_data()


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "garbage",
        "lat": TINY_LAT,
        "lon": TINY_LON,
        "description": "Tumpukan sampah di depan pasar sejak tiga hari.",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def post_json(
    client: Client, body: Any, *, key: str | uuid.UUID | None = None, **extra: Any
) -> Any:
    headers = {"Idempotency-Key": str(key)} if key is not None else {}
    return client.post(
        "/api/reports/", body, content_type="application/json", headers=headers, **extra
    )


def clear_rate_limits() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match="geo_klik.ratelimit:*"):
        client.delete(key)
