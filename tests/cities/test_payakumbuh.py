"""GEO_KLIK_CITY=13.76: Kota Payakumbuh from the shipped layers, its SKPD and routing."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from geo_klik.agencies.models import Agency
from geo_klik.boundaries import cities, importer, neighbours, queries
from geo_klik.boundaries.models import Kecamatan, Kelurahan, Kota, NeighbourRegion
from geo_klik.dispatch.actions import routes, seeding
from geo_klik.dispatch.models import Jurisdiction
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("payakumbuh_settings")]


@pytest.fixture
def payakumbuh_settings() -> object:
    with override_settings(GEO_KLIK_CITY="13.76"):
        yield


@pytest.fixture
def payakumbuh(payakumbuh_settings: object) -> importer.ImportReport:
    city = cities.configured()
    choice = cities.layer_choice(city)
    assert choice.kind == "city" and choice.repair and choice.info.licence == "MIT"
    report = importer.import_layer(choice.path, commit=True, repair=choice.repair)
    assert report.committed, report.as_text()
    seeding.seed_reference_data()
    return report


def test_it_loads_payakumbuh_kelurahan_and_kecamatan_from_the_shipped_layer(
    payakumbuh: importer.ImportReport,
) -> None:
    assert list(Kota.objects.values_list("code_kemendagri", "name")) == [
        ("13.76", "Kota Payakumbuh")
    ]
    assert Kelurahan.objects.count() == 47  # PROVENANCE: Payakumbuh (13.76) 47
    assert set(Kecamatan.objects.values_list("name", flat=True)) == {
        "Payakumbuh Barat",
        "Payakumbuh Utara",
        "Payakumbuh Timur",
        "Lamposi Tigo Nagori",
        "Payakumbuh Selatan",
    }
    served = cities.served()
    assert served.name == "Kota Payakumbuh" and served.short_name == "Payakumbuh"
    assert served.centre is not None and served.bounds is not None
    south, west, north, east = served.bounds
    assert south < served.centre[0] < north and west < served.centre[1] < east
    inside = queries.kelurahan_for_point(*served.centre)
    assert inside is not None and inside.kecamatan.kota.name == "Kota Payakumbuh"


def test_it_seeds_the_template_agencies_and_offices_of_payakumbuh(
    payakumbuh: importer.ImportReport,
) -> None:
    codes = set(Agency.objects.values_list("code", flat=True))
    for skpd in (
        "diskominfo-command-center",
        "dinas-pupr",
        "dinas-perhubungan",
        "dinas-lingkungan-hidup",
        "satpol-pp-damkar",
        "bpbd",
        "dinas-kesehatan",
        "polres-payakumbuh",
    ):
        assert skpd in codes
    assert Agency.objects.get(code="polres-payakumbuh").name_id == "Kepolisian Resor Payakumbuh"
    assert Agency.objects.filter(kind=Agency.Kind.KECAMATAN_OFFICE).count() == 5
    assert Agency.objects.filter(kind=Agency.Kind.KELURAHAN_OFFICE).count() == 47
    assert Agency.objects.filter(parent__code="polres-payakumbuh").count() == 5  # a Polsek each
    assert not Agency.objects.filter(code__contains="bukittinggi").exists()
    # No zone split is known for Payakumbuh: the DLH covers the whole city.
    assert Jurisdiction.objects.filter(code="dlh-kota").exists()
    assert not Jurisdiction.objects.filter(code__startswith="dlh-zona").exists()
    assert seeding.seed_reference_data()["agencies"] == 0  # idempotent


@pytest.mark.parametrize(
    ("category", "agency"),
    [("road_damage", "dinas-pupr"), ("garbage", "dinas-lingkungan-hidup")],
)
def test_a_report_in_payakumbuh_reaches_the_right_skpd(
    payakumbuh: importer.ImportReport, category: str, agency: str
) -> None:
    lat, lon = cities.served().centre or (0.0, 0.0)
    report, _ = report_actions.create_report(
        category=Category.objects.get(code=category),
        lat=lat,
        lon=lon,
        description="Jalan berlubang dekat pasar, sudah seminggu.",
    )
    assert report.address.endswith(", Kota Payakumbuh")
    decision = routes.route_report(report.pk)
    assert decision is not None
    primary = decision.assignments.get(role="primary")
    assert primary.agency.code == agency


def test_the_pages_and_lookup_name_payakumbuh(
    payakumbuh: importer.ImportReport, client: Client
) -> None:
    lat, lon = cities.served().centre or (0.0, 0.0)
    found = client.get("/api/boundaries/lookup", {"lat": str(lat), "lon": str(lon)}).json()
    assert found["kota"]["name"] == "Kota Payakumbuh"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kota Payakumbuh" in html and "Bukittinggi" not in html


def test_its_neighbours_are_the_other_kab_kota_of_the_province(
    payakumbuh: importer.ImportReport,
) -> None:
    report = neighbours.load(cities.configured())
    assert report.regions == 18 and report.desa == 1159 - 47
    assert not NeighbourRegion.objects.filter(code_kemendagri="13.76").exists()
    assert [o.code for o in report.outcomes if o.action == "repaired"] == ["13.09"]
    again = neighbours.load(cities.configured())
    assert again.outcomes == []  # unchanged data: skipped in one query
