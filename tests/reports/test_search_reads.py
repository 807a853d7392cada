"""The reads behind KLIK's part of the search (reports.queries): what is listed, what is read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from geo_klik.lib import geo
from geo_klik.reports import queries
from geo_klik.reports.models import Category, Report
from tests.conftest import TinyCity

LAT, LON = -0.005, 100.005  # the middle of kelurahan Barat Utara of the tiny city


@pytest.fixture
def pothole(tiny_city: TinyCity) -> Category:
    return Category.objects.create(code="pothole", name_id="Jalan berlubang", name_en="Pothole")


def make(category: Category, tiny_city: TinyCity, code: str, status: str, dlat: float) -> Report:
    return Report.objects.create(
        category=category,
        kelurahan=tiny_city.kelurahan["Barat Utara"],
        location=geo.point(LAT + dlat, LON),
        description="x",
        tracking_code=code,
        status=status,
    )


@pytest.mark.parametrize("status", [Report.Status.REJECTED, Report.Status.DUPLICATE])
def test_it_never_lists_a_rejected_or_duplicate_report_by_its_code(
    client: Client, pothole: Category, tiny_city: TinyCity, status: str
) -> None:
    make(pothole, tiny_city, "HIDE0001", status, 0.0)
    make(pothole, tiny_city, "SHOW0001", Report.Status.ROUTED, 0.0)

    assert not queries.listed_report_exists("HIDE0001")
    assert queries.listed_report_exists("SHOW0001")
    assert not queries.listed_report_exists("NONE0001")
    body = client.get("/api/search/", {"q": "HIDE0001"}).json()
    assert all("HIDE0001" not in hit["url"] for hit in body["results"])


def test_it_lists_open_reports_near_nearest_first_with_metres_and_no_polygon(
    pothole: Category, tiny_city: TinyCity
) -> None:
    other = Category.objects.create(code="trash", name_id="Sampah", name_en="Rubbish")
    second = make(pothole, tiny_city, "NEAR0002", Report.Status.ROUTED, 0.002)  # about 222 m
    first = make(other, tiny_city, "NEAR0001", Report.Status.ACKNOWLEDGED, 0.001)  # about 111 m
    make(pothole, tiny_city, "SHUT0001", Report.Status.CLOSED, 0.0)

    with CaptureQueriesContext(connection) as captured:
        found = queries.public_open_reports_near(LAT, LON, within_m=500, limit=10)
        kelurahan = found[0][0].kelurahan
        assert kelurahan is not None and kelurahan.name == "Barat Utara"  # read with the report

    assert [r.pk for r, _ in found] == [first.pk, second.pk]
    # 0.001° of latitude on the equator: about 111 m (110.6 on the spheroid, 111.2 on a sphere).
    assert [m for _, m in found] == [pytest.approx(111, abs=1), pytest.approx(222, abs=1.5)]
    # (GeoDjango reads spatial_ref_sys once per process, for its first distance.)
    (read,) = [q["sql"] for q in captured if "spatial_ref_sys" not in q["sql"]]
    assert '"boundaries_kelurahan"."boundary"' not in read
    near = queries.public_open_reports_near(LAT, LON, within_m=150, limit=10)
    assert [r.pk for r, _ in near] == [first.pk]
    rubbish = queries.public_open_reports_near(
        LAT, LON, within_m=500, category_text="rubb", limit=10
    )
    assert [r.pk for r, _ in rubbish] == [first.pk]
    assert queries.public_open_reports_near(LAT, LON, within_m=500, limit=1)[0][0] == first


def test_it_matches_categories_by_name_description_or_code(pothole: Category) -> None:
    Category.objects.create(code="lamp", name_id="Lampu", name_en="Street lamp", active=False)

    assert list(queries.categories_matching("BERLUBANG")) == [pothole]
    assert list(queries.categories_matching("pothol")) == [pothole]
    assert list(queries.categories_matching("lamp")) == []  # inactive
