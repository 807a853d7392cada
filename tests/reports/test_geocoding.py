"""Reverse geocoding of a report's address: off by default, a provider injected in tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.test import Client
from geopy.exc import GeocoderTimedOut
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from geo_klik.lib import geocoding
from geo_klik.reports import actions, tasks
from geo_klik.reports.models import Category, Report
from tests.reports.conftest import TINY_LAT, TINY_LON, post_json, report_body

DEFAULT_ADDRESS = "Kelurahan Barat Utara, Kecamatan Barat, Kota Contoh"


@dataclass
class FakeLocation:
    address: str


class FakeGeocoder:
    """Stands in for a geopy geocoder: outbound network is blocked in tests."""

    calls: ClassVar[list[tuple[Any, dict[str, Any]]]] = []
    made_with: ClassVar[dict[str, Any]] = {}

    def __init__(self, **options: Any) -> None:
        FakeGeocoder.made_with = options

    def reverse(self, query: Any, **options: Any) -> FakeLocation:
        FakeGeocoder.calls.append((query, options))
        return FakeLocation("Jl. Ahmad Yani No. 1, Kayu Kubu, Bukittinggi")


class TimingOutGeocoder:
    def __init__(self, **options: Any) -> None:
        pass

    def reverse(self, query: Any, **options: Any) -> FakeLocation:
        raise GeocoderTimedOut("no network")


FAKE = "tests.reports.test_geocoding.FakeGeocoder"


@pytest.fixture
def report(categories: dict[str, Category]) -> Report:
    created, _ = actions.create_report(
        category=categories["garbage"], lat=TINY_LAT, lon=TINY_LON, description="sampah"
    )
    return created


def test_it_keeps_the_kelurahan_address_without_a_geocoder(report: Report) -> None:
    assert report.address == DEFAULT_ADDRESS
    assert geocoding.reverse_geocoder() is None
    assert actions.geocode_report(report.pk) == DEFAULT_ADDRESS


def test_it_stores_the_address_the_configured_geocoder_gives(
    report: Report, settings: Settings
) -> None:
    settings.GEOCODER = FAKE
    settings.GEOCODER_USER_AGENT = "geo_klik-test"
    FakeGeocoder.calls.clear()
    tasks.geocode_report(report.pk)  # the task body, as a worker runs it
    report.refresh_from_db()
    assert report.address == "Jl. Ahmad Yani No. 1, Kayu Kubu, Bukittinggi"
    ((query, options),) = FakeGeocoder.calls
    assert query == (TINY_LAT, TINY_LON)  # geopy takes (lat, lon)
    assert options["language"] == "id"
    assert FakeGeocoder.made_with["user_agent"] == "geo_klik-test"


def test_it_builds_a_geopy_provider_by_name(settings: Settings) -> None:
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_DOMAIN = "nominatim.bukittinggikota.go.id"
    geocoder = geocoding.reverse_geocoder()
    assert type(geocoder).__name__ == "Nominatim"
    assert getattr(geocoder, "domain", "") == "nominatim.bukittinggikota.go.id"


def test_a_failing_provider_leaves_the_address_and_asks_for_a_retry(
    report: Report, settings: Settings
) -> None:
    settings.GEOCODER = "tests.reports.test_geocoding.TimingOutGeocoder"
    with pytest.raises(geocoding.GeocodingUnavailable):
        actions.geocode_report(report.pk)
    report.refresh_from_db()
    assert report.address == DEFAULT_ADDRESS


def test_intake_queues_geocoding_after_commit_when_enabled(
    client: Client,
    categories: dict[str, Category],
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.GEOCODER = FAKE
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_json(client, report_body())
    assert response.status_code == 201
    assert len(callbacks) == 2  # routing, then geocoding
