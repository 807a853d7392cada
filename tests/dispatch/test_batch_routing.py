"""Batch routing (a surge): every waiting report routed once, exactly as one by one would."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import shapely
from django.db import OperationalError, connection
from django.utils import timezone

from geo_klik.agencies.models import Agency
from geo_klik.boundaries.models import Kota
from geo_klik.dispatch import tasks
from geo_klik.dispatch.actions import routes, seeding
from geo_klik.dispatch.models import Assignment, Notification, RoutingDecision
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.dispatch import oracle
from tests.dispatch.conftest import MakeJurisdiction, MakeReport, Zones
from tests.dispatch.test_real_city import expected_by_report, make_reports, routed_agencies

# The points of tests/dispatch/test_routing.py: inside, on an edge, just outside (nearest
# within the tolerance) and far outside (triage).
POINTS = {
    "inside": (-0.005, 100.005),
    "on_edge": (-0.005, 100.01),
    "just_outside": (-0.005, 100.0205),
    "far_outside": (-0.005, 100.025),
}
CATEGORIES = ["road_damage", "traffic_accident", "other", "garbage"]


def outcome(report: Report) -> tuple[Any, ...]:
    """Everything routing stores about a report, without ids and clocks."""
    decision = RoutingDecision.objects.get(report=report)
    assignments = sorted(
        (a.role, a.agency.code, a.jurisdiction_version_id)
        for a in Assignment.objects.filter(report=report, active=True).select_related("agency")
    )
    (event,) = ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.STATUS)
    report.refresh_from_db()
    return (
        decision.rule,
        decision.is_current,
        decision.tolerance_m,
        decision.candidates,
        assignments,
        (event.status_from, event.status_to, event.actor, event.agency_id, event.public),
        report.status,
        report.routed_at is not None,
        report.resolved_at,
    )


@pytest.fixture
def city_rules(zones: Zones, make_jurisdiction: MakeJurisdiction, command_center: Agency) -> None:
    make_jurisdiction("pupr", zones.city, primary=["road_damage"])
    make_jurisdiction("polres", zones.city, primary=["traffic_accident"])
    make_jurisdiction("psc-119", zones.barat, supporting=["traffic_accident"])
    make_jurisdiction("office-barat-utara", zones.barat_utara, primary=["other"])
    make_jurisdiction("office-timur", zones.timur, primary=["other"])


@pytest.mark.usefixtures("city_rules")
class TestBatch:
    def test_it_decides_exactly_what_routing_one_by_one_decides(
        self, make_report: MakeReport
    ) -> None:
        cases = [(p, c) for p in POINTS.values() for c in CATEGORIES]
        singles = [make_report(*point, category) for point, category in cases]
        for report in singles:
            routes.route_report(report.pk)
        batched = [make_report(*point, category) for point, category in cases]

        decisions = routes.route_waiting_reports()

        assert sorted(d.report_id for d in decisions) == sorted(r.pk for r in batched)
        for single, batch in zip(singles, batched, strict=True):
            assert outcome(batch) == outcome(single)
        rules = Counter(d.rule for d in decisions)
        assert set(rules) == {"covers", "nearest", "triage"}, rules

    def test_it_routes_each_waiting_report_once_and_leaves_routed_ones(
        self, make_report: MakeReport
    ) -> None:
        routed = make_report(*POINTS["inside"], "road_damage")
        routes.route_report(routed.pk)
        waiting = [make_report(*POINTS["inside"], "road_damage") for _ in range(3)]

        first = routes.route_waiting_reports()
        again = routes.route_waiting_reports()

        assert sorted(d.report_id for d in first) == sorted(r.pk for r in waiting)
        assert again == []
        assert RoutingDecision.objects.filter(report=routed).count() == 1
        assert all(RoutingDecision.objects.filter(report=r).count() == 1 for r in waiting)

    def test_it_takes_the_oldest_first_and_at_most_the_limit(self, make_report: MakeReport) -> None:
        reports = [make_report(*POINTS["inside"], "road_damage") for _ in range(5)]
        for age_s, report in zip([10, 50, 30, 40, 20], reports, strict=True):
            Report.objects.filter(pk=report.pk).update(
                created_at=timezone.now() - timedelta(seconds=age_s)
            )

        decisions = routes.route_waiting_reports(limit=2)

        assert [d.report_id for d in decisions] == [reports[1].pk, reports[3].pk]

    def test_it_writes_the_agencies_notifications_with_the_routing(
        self, make_report: MakeReport
    ) -> None:
        Agency.objects.filter(code="pupr").update(email="pupr@example.test")
        reports = [make_report(*POINTS["inside"], "road_damage") for _ in range(3)]

        routes.route_waiting_reports()
        for report in reports:  # each task afterwards: its report is routed, nothing more
            tasks.route_report(report.pk)

        rows = Notification.objects.filter(kind="routed", recipient="pupr@example.test")
        assert sorted(rows.values_list("report_id", flat=True)) == sorted(r.pk for r in reports)


@pytest.mark.usefixtures("city_rules")
class TestTask:
    def test_it_routes_the_waiting_reports_with_its_own(self, make_report: MakeReport) -> None:
        reports = [make_report(*POINTS["inside"], "road_damage") for _ in range(4)]

        tasks.route_report(reports[2].pk)

        assert Report.objects.filter(routed_at__isnull=True).count() == 0
        assert RoutingDecision.objects.count() == 4

    def test_it_routes_its_report_alone_when_the_batch_fails(
        self, make_report: MakeReport, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        mine, other = (make_report(*POINTS["inside"], "road_damage") for _ in range(2))

        def broken(**kwargs: object) -> list[RoutingDecision]:
            raise ValueError("a report the batch cannot take")

        monkeypatch.setattr(routes, "route_waiting_reports", broken)
        tasks.route_report(mine.pk)

        assert RoutingDecision.objects.filter(report=mine).count() == 1
        assert not RoutingDecision.objects.filter(report=other).exists()

    def test_it_fails_for_a_retry_when_postgresql_is_unreachable(
        self, make_report: MakeReport, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        report = make_report(*POINTS["inside"], "road_damage")

        def down(**kwargs: object) -> list[RoutingDecision]:
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(routes, "route_waiting_reports", down)
        with pytest.raises(OperationalError):
            tasks.route_report(report.pk)
        assert not RoutingDecision.objects.filter(report=report).exists()

    def test_it_leaves_an_unknown_report_alone(self) -> None:
        tasks.route_report(10**9)
        assert RoutingDecision.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_never_routes_a_report_twice_when_batches_and_single_routing_overlap(
    city_rules: None, make_report: MakeReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = [make_report(*POINTS["inside"], "road_damage") for _ in range(12)]
    real_bulk_create = RoutingDecision.objects.bulk_create

    def slow_bulk_create(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # hold the claimed rows' locks while the others try
        return real_bulk_create(*args, **kwargs)

    monkeypatch.setattr(RoutingDecision.objects, "bulk_create", slow_bulk_create)
    start = threading.Barrier(3)

    def batch() -> None:
        try:
            start.wait()
            routes.route_waiting_reports(limit=5)
        finally:
            connection.close()

    def single() -> None:
        try:
            start.wait()
            for report in reports:
                routes.route_report(report.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=f) for f in (batch, batch, single)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    per_report = Counter(RoutingDecision.objects.values_list("report_id", flat=True))
    assert per_report == {r.pk: 1 for r in reports}
    assert Assignment.objects.count() == 12
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.STATUS).count() == 12


@pytest.mark.django_db(transaction=True)
def test_it_routes_2000_real_city_points_by_concurrent_batches_as_the_rules_say(
    bukittinggi: object,
) -> None:
    seeding.seed_reference_data()
    kota = Kota.objects.get()
    lons, lats = oracle.random_points_inside(
        shapely.from_wkb(bytes(kota.boundary.wkb)), 2000, seed=20261203
    )
    reports = make_reports(lons, lats, list(Category.objects.order_by("code")), seed=3)

    def drain(_: int) -> int:
        routed = 0
        try:
            while batch := routes.route_waiting_reports(limit=150):
                routed += len(batch)
        finally:
            connection.close()
        return routed

    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(drain, range(2)))

    assert sum(counts) == len(reports)
    assert Counter(RoutingDecision.objects.values_list("report_id", flat=True)) == {
        r.pk: 1 for r in reports
    }
    expected = expected_by_report(reports)
    actual = routed_agencies([r.pk for r in reports])
    wrong = {i: (expected[i], actual[i]) for i in expected if expected[i] != actual[i]}
    assert not wrong, f"{len(wrong)} routed differently, e.g. {list(wrong.items())[:5]}"
