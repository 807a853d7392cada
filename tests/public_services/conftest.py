"""Offices and services on the tiny city (tests/conftest.py): the seed, plus two puskesmas.

The seed gives each tiny kelurahan its kantor lurah at its label point (the square's centre), each
kecamatan its kantor camat, the city-wide MPP, DPMPTSP and Disdukcapil, and the real service
catalogue. Its puskesmas need the real Bukittinggi kelurahan, so two are added here: Puskesmas Barat
in Barat Utara serving both Barat kelurahan, and Puskesmas Timur in Timur Selatan with no working
area recorded (Timur kelurahan go to the nearest one).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geo_klik.lib import geo
from geo_klik.public_services import seed
from geo_klik.public_services.models import Office
from tests.conftest import TinyCity


@dataclass
class TinyOffices:
    city: TinyCity
    report: seed.SeedReport
    puskesmas_barat: Office
    puskesmas_timur: Office

    def lurah(self, kelurahan: str) -> Office:
        return Office.objects.get(kind=Office.Kind.KANTOR_LURAH, kelurahan__name=kelurahan)

    def camat(self, kecamatan: str) -> Office:
        return Office.objects.get(kind=Office.Kind.KANTOR_CAMAT, kecamatan__name=kecamatan)


@pytest.fixture
def offices(tiny_city: TinyCity) -> TinyOffices:
    report = seed.seed_all()
    barat = Office.objects.create(
        slug="puskesmas-barat",
        kind=Office.Kind.PUSKESMAS,
        name="Puskesmas Barat",
        kelurahan=tiny_city.kelurahan["Barat Utara"],
        location=geo.point(-0.002, 100.002),
    )
    barat.service_area.set(
        [tiny_city.kelurahan["Barat Utara"], tiny_city.kelurahan["Barat Selatan"]]
    )
    timur = Office.objects.create(
        slug="puskesmas-timur",
        kind=Office.Kind.PUSKESMAS,
        name="Puskesmas Timur",
        kelurahan=tiny_city.kelurahan["Timur Selatan"],
        location=geo.point(-0.018, 100.018),
    )
    return TinyOffices(tiny_city, report, barat, timur)
