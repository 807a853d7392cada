"""On the real Bukittinggi boundaries, 10,000 random points go exactly where the rules say."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import shapely
from django.db import connection

from geo_klik.boundaries.models import Kota
from geo_klik.dispatch.actions import routes, seeding
from geo_klik.dispatch.models import Assignment, RoutingDecision
from geo_klik.lib import geo
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report
from tests.dispatch import oracle

POINTS = 10_000
SEED = 20261128
# Routed by a few threads at once, like Celery workers: it also shows concurrent routing
# agrees with the rules, and keeps the test near half a minute on two cores.
WORKERS = 4


@pytest.fixture
def seeded_city(bukittinggi: object) -> Kota:
    seeding.seed_reference_data()
    kota = Kota.objects.get()
    return kota


def make_reports(
    lons: np.ndarray, lats: np.ndarray, categories: list[Category], *, seed: int
) -> list[Report]:
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(categories), len(lons))
    return Report.objects.bulk_create(
        [
            Report(
                tracking_code=report_actions.new_tracking_code(),
                category=categories[pick],
                location=geo.point(float(lat), float(lon)),
                description="random point",
            )
            for lon, lat, pick in zip(lons, lats, picks, strict=True)
        ],
        batch_size=2000,
    )


def routed_agencies(report_ids: list[int]) -> dict[int, tuple[str, frozenset[str]]]:
    primary: dict[int, str] = {}
    supporting: dict[int, set[str]] = {i: set() for i in report_ids}
    rows = Assignment.objects.filter(report_id__in=report_ids, active=True).values_list(
        "report_id", "role", "agency__code"
    )
    for report_id, role, agency in rows:
        if role == Assignment.Role.PRIMARY:
            assert report_id not in primary, f"report {report_id} has two primary agencies"
            primary[report_id] = agency
        else:
            supporting[report_id].add(agency)
    return {i: (primary[i], frozenset(supporting[i])) for i in report_ids}


def expected_by_report(reports: list[Report]) -> dict[int, tuple[str | None, frozenset[str]]]:
    versions = oracle.current_versions()
    expected: dict[int, tuple[str | None, frozenset[str]]] = {}
    by_category: dict[str, list[Report]] = {}
    for report in reports:
        by_category.setdefault(report.category.code, []).append(report)
    for category, group in by_category.items():
        lons = np.array([r.location.x for r in group])
        lats = np.array([r.location.y for r in group])
        answers = oracle.expected_agencies(versions, lons, lats, category)
        expected.update(zip((r.pk for r in group), answers, strict=True))
    return expected


def route_all(report_ids: list[int]) -> None:
    def route(chunk: list[int]) -> None:
        try:
            for report_id in chunk:
                routes.route_report(report_id)
        finally:
            connection.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(route, [report_ids[k::WORKERS] for k in range(WORKERS)]))


@pytest.mark.django_db(transaction=True)
def test_it_routes_10000_random_points_to_the_agency_the_rules_pick(seeded_city: Kota) -> None:
    boundary = shapely.from_wkb(bytes(seeded_city.boundary.wkb))
    lons, lats = oracle.random_points_inside(boundary, POINTS, seed=SEED)
    categories = list(Category.objects.order_by("code"))
    reports = make_reports(lons, lats, categories, seed=SEED)

    route_all([r.pk for r in reports])

    expected = expected_by_report(reports)
    actual = routed_agencies([r.pk for r in reports])
    wrong = {i: (expected[i], actual[i]) for i in expected if expected[i] != actual[i]}
    assert not wrong, f"{len(wrong)} of {POINTS} routed differently, e.g. {list(wrong.items())[:5]}"
    rules = Counter(RoutingDecision.objects.values_list("rule", flat=True))
    assert rules == {"covers": POINTS}
    # The sample exercises every category and many agencies, not one lucky answer.
    primaries = Counter(p for p, _ in actual.values())
    assert len({r.category_id for r in reports}) == len(categories)
    assert len(primaries) >= 30, primaries
