"""Dispatch fixtures: agencies and jurisdictions drawn on the tiny city, and report makers.

The tiny city (see ``tests/conftest.py``) is four 0.01° squares between lon 100.00 and 100.02
and lat -0.02 and 0.00; kecamatan Barat is the western column, Timur the eastern one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

from geo_klik.agencies.models import Agency
from geo_klik.dispatch.actions import jurisdictions, seeding
from geo_klik.dispatch.models import Jurisdiction, JurisdictionVersion
from geo_klik.lib import geo
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report
from tests.conftest import TinyCity, square

MakeAgency = Callable[..., Agency]
MakeJurisdiction = Callable[..., JurisdictionVersion]
MakeReport = Callable[..., Report]


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    """The twelve KLIK categories of the reference data, by code."""
    seeding.seed_categories()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def make_agency(db: None) -> MakeAgency:
    def make(code: str, *, is_triage: bool = False, active: bool = True) -> Agency:
        agency, _ = Agency.objects.get_or_create(
            code=code,
            defaults={
                "name_id": code,
                "name_en": code,
                "kind": Agency.Kind.DINAS,
                "is_triage": is_triage,
                "active": active,
            },
        )
        return agency

    return make


@pytest.fixture
def make_jurisdiction(make_agency: MakeAgency) -> MakeJurisdiction:
    def make(
        code: str,
        coverage: GEOSGeometry,
        *,
        agency: str | None = None,
        primary: list[str] | None = None,
        supporting: list[str] | None = None,
        priority: int = 10,
    ) -> JurisdictionVersion:
        jurisdiction, _ = Jurisdiction.objects.get_or_create(
            code=code, defaults={"agency": make_agency(agency or code), "name": code}
        )
        return jurisdictions.save_jurisdiction_version(
            jurisdiction,
            coverage=coverage,
            primary_categories=primary or [],
            supporting_categories=supporting or [],
            priority=priority,
        )

    return make


@pytest.fixture
def make_report(categories: dict[str, Category]) -> MakeReport:
    def make(lat: float, lon: float, category: str, **fields: object) -> Report:
        return Report.objects.create(
            tracking_code=report_actions.new_tracking_code(),
            category=categories[category],
            location=geo.point(lat, lon),
            description="test",
            **fields,
        )

    return make


@dataclass
class Zones:
    """Handy coverages of the tiny city."""

    city: MultiPolygon
    barat: MultiPolygon
    timur: MultiPolygon
    barat_utara: MultiPolygon


@pytest.fixture
def zones(tiny_city: TinyCity) -> Zones:
    return Zones(
        city=tiny_city.kota.boundary,
        barat=tiny_city.kecamatan["Barat"].boundary,
        timur=tiny_city.kecamatan["Timur"].boundary,
        barat_utara=MultiPolygon(square(100.00, -0.01), srid=geo.WGS84),
    )


@pytest.fixture
def command_center(make_agency: MakeAgency) -> Agency:
    return make_agency("command-center", is_triage=True)
