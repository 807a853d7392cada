"""Fixtures of the area-alert tests: the tiny city's categories, reports, subscriptions, and
real local receivers (the SMTP server and the push service of tests/notify).

Kota Contoh (tests/conftest.py) is four 0.01° squares on the equator; ``CENTRE`` is inside
Barat Selatan, near its south-west corner, so a 2 km circle around it stays inside the city.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]
from pytest_django.fixtures import Settings

from geo_klik.alerts import actions
from geo_klik.alerts.models import AlertSubscription, Subscriber
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.conftest import TinyCity

# The real local receivers of the notify tests (a fixture imported here is one here too).
from tests.notify.conftest import Queued, RecordingSMTP, free_port, queued, smtp
from tests.notify.push_receiver import PushService, push_service

__all__ = ["Queued", "RecordingSMTP", "free_port", "queued", "smtp"]

CENTRE = (-0.0195, 100.0005)  # (lat, lon)
EMAIL = "tetangga@example.id"


@pytest.fixture(autouse=True)
def alert_settings(settings: Settings, tmp_path: Path) -> None:
    settings.REPORTS_RATE_LIMIT = ""
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = ""
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = ""
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    settings.NOTIFY_BASE_URL = "https://klik.example.id"
    settings.ALERTS_DIGEST_HOUR = 18


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


@pytest.fixture
def garbage(tiny_city: TinyCity) -> Category:
    return Category.objects.create(code="garbage", name_id="Sampah", name_en="Garbage")


@pytest.fixture
def pothole(tiny_city: TinyCity) -> Category:
    return Category.objects.create(code="pothole", name_id="Jalan rusak", name_en="Pothole")


@pytest.fixture
def crime(tiny_city: TinyCity) -> Category:
    return Category.objects.create(
        code="crime", name_id="Kriminalitas", name_en="Crime", sensitive=True
    )


def at_distance(
    lat: float, lon: float, *, metres: float, azimuth: float = 45.0
) -> tuple[float, float]:
    """The point ``metres`` from (lat, lon) on the WGS84 ellipsoid (GeographicLib: an oracle
    independent of PostGIS)."""
    line = Geodesic.WGS84.Direct(lat, lon, azimuth, metres)
    return float(line["lat2"]), float(line["lon2"])


def make_report(category: Category, lat: float, lon: float, tiny_city: TinyCity) -> Report:
    report, _ = report_actions.create_report(
        category=category, lat=lat, lon=lon, description="Ada masalah di sini, nomor 12"
    )
    return report


def route(report: Report) -> ReportEvent:
    """The report's first routing, as dispatch records it (a public system status event)."""
    return report_actions.change_status(
        report, Report.Status.ROUTED, actor=ReportEvent.Actor.SYSTEM
    )


def resolve(report: Report) -> ReportEvent:
    return report_actions.change_status(
        report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF, note="Sudah beres."
    )


def subscribe(
    categories: list[Category],
    *,
    kelurahan: Any = None,
    centre: tuple[float, float] | None = None,
    radius_m: int | None = None,
    channel: str = "email",
    email: str = EMAIL,
    push_subscription: dict[str, Any] | None = None,
    frequency: str = "immediate",
    new_reports: bool = True,
    resolutions: bool = True,
    confirmed: bool = True,
    language: str = "id",
    subscriber: Subscriber | None = None,
) -> AlertSubscription:
    """A subscription made by the action (its input assumed checked), confirmed by default."""
    area = (
        actions.Area(kelurahan=kelurahan)
        if kelurahan is not None
        else actions.Area(lat=centre[0], lon=centre[1], radius_m=radius_m)  # type: ignore[index]
    )
    subscription, _ = actions.subscribe(
        subscriber,
        channel=channel,
        email=email if channel == "email" else "",
        push_subscription=push_subscription,
        language=language,
        area=area,
        categories=categories,
        new_reports=new_reports,
        resolutions=resolutions,
        frequency=frequency,
    )
    if confirmed and subscription.confirmed_at is None:
        actions.confirm(subscription.pk)
        subscription.refresh_from_db()
        # The confirmation message is not what these tests look at.
        subscription.deliveries.filter(kind="confirm").delete()
    return subscription


def fan_out_and_send(report: Report, kind: str) -> int:
    """What the worker does after the trigger's commit: fan out, then send what is due."""
    actions.fan_out(report.pk, kind)
    return actions.send_due()
