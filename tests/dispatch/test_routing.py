"""Routing rules on hand-made geometries: covers, tie-breaks, supporting, nearest, triage."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from geo_klik.agencies.models import Agency
from geo_klik.dispatch import tasks
from geo_klik.dispatch.actions import jurisdictions, routes
from geo_klik.dispatch.models import Assignment, Jurisdiction, RoutingDecision
from geo_klik.reports.models import Report, ReportEvent
from tests.dispatch.conftest import MakeJurisdiction, MakeReport, Zones

# Inside Barat Utara, far from every edge.
INSIDE = (-0.005, 100.005)
# On the edge Barat Utara | Timur Utara (lon 100.01 appears verbatim in both squares).
ON_EDGE = (-0.005, 100.01)
# 0.0005° (about 56 m) east of the city's eastern edge at lon 100.02.
JUST_OUTSIDE = (-0.005, 100.0205)
# 0.005° (about 560 m) east of the city.
FAR_OUTSIDE = (-0.005, 100.025)


def primary_code(report: Report) -> str:
    return Assignment.objects.get(report=report, role="primary", active=True).agency.code


def supporting_codes(report: Report) -> list[str]:
    rows = Assignment.objects.filter(report=report, role="supporting", active=True)
    return sorted(a.agency.code for a in rows)


@pytest.mark.usefixtures("command_center")
class TestCovers:
    def test_it_routes_to_the_jurisdiction_that_covers_the_point(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        make_jurisdiction("dlh", zones.city, primary=["garbage"])
        report = make_report(*INSIDE, "road_damage")

        decision = routes.route_report(report.pk)

        assert decision is not None and decision.rule == RoutingDecision.Rule.COVERS
        assert primary_code(report) == "pupr"
        report.refresh_from_db()
        assert report.status == Report.Status.ROUTED and report.routed_at is not None

    def test_it_matches_a_point_exactly_on_a_boundary_and_breaks_the_tie_by_area(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("office-barat-utara", zones.barat_utara, primary=["other"])
        make_jurisdiction("office-timur", zones.timur, primary=["other"])

        reports = [make_report(*ON_EDGE, "other") for _ in range(3)]
        decisions = [routes.route_report(r.pk) for r in reports]

        for report, decision in zip(reports, decisions, strict=True):
            assert decision is not None and decision.rule == RoutingDecision.Rule.COVERS
            codes = {c["jurisdiction_code"] for c in decision.candidates}
            assert codes == {"office-barat-utara", "office-timur"}
            # Same priority: the smaller area (one kelurahan, not a kecamatan) wins, every time.
            assert primary_code(report) == "office-barat-utara"

    def test_it_breaks_a_full_tie_by_jurisdiction_code(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("zz-second", zones.barat, primary=["other"])
        make_jurisdiction("aa-first", zones.barat, primary=["other"])
        report = make_report(*ON_EDGE, "other")

        routes.route_report(report.pk)

        assert primary_code(report) == "aa-first"

    def test_it_prefers_priority_over_a_smaller_area(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("kelurahan-office", zones.barat_utara, primary=["other"], priority=30)
        make_jurisdiction("city-low", zones.city, primary=["other"], priority=0)
        make_jurisdiction("city-high", zones.city, primary=["crime"], priority=40)
        make_jurisdiction("kelurahan-police", zones.barat_utara, primary=["crime"], priority=20)
        other = make_report(*INSIDE, "other")
        crime = make_report(*INSIDE, "crime")

        routes.route_report(other.pk)
        routes.route_report(crime.pk)

        assert primary_code(other) == "kelurahan-office"  # higher priority, also smaller
        assert primary_code(crime) == "city-high"  # higher priority beats a smaller area

    def test_it_adds_supporting_agencies_for_a_traffic_accident(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("polsek-barat", zones.barat, primary=["traffic_accident"], priority=20)
        make_jurisdiction("polsek-timur", zones.timur, primary=["traffic_accident"], priority=20)
        make_jurisdiction("polres", zones.city, primary=["traffic_accident"], priority=5)
        make_jurisdiction("psc-119", zones.city, supporting=["traffic_accident"])
        make_jurisdiction(
            "dishub", zones.city, primary=["illegal_parking"], supporting=["traffic_accident"]
        )
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        report = make_report(*INSIDE, "traffic_accident")

        routes.route_report(report.pk)

        assert primary_code(report) == "polsek-barat"
        # Polres serves it as primary at a lower priority: a backstop, not a supporting agency.
        assert supporting_codes(report) == ["dishub", "psc-119"]
        roles = {a.agency.code: a.jurisdiction_version for a in report.assignments.all()}
        assert roles["psc-119"] is not None and roles["psc-119"].jurisdiction.code == "psc-119"

    def test_it_never_supports_with_the_primary_agency_itself(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("bpbd-primary", zones.city, agency="bpbd", primary=["fallen_tree"])
        make_jurisdiction("bpbd-support", zones.city, agency="bpbd", supporting=["fallen_tree"])
        make_jurisdiction("dlh", zones.city, supporting=["fallen_tree"])
        report = make_report(*INSIDE, "fallen_tree")

        routes.route_report(report.pk)

        assert primary_code(report) == "bpbd"
        assert supporting_codes(report) == ["dlh"]

    def test_it_ignores_inactive_jurisdictions_and_agencies(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("office", zones.barat_utara, primary=["other"], priority=30)
        make_jurisdiction("police", zones.barat_utara, primary=["crime"], priority=30)
        make_jurisdiction("city", zones.city, primary=["other", "crime"], priority=0)
        Jurisdiction.objects.filter(code="office").update(active=False)
        Agency.objects.filter(code="police").update(active=False)
        other = make_report(*INSIDE, "other")
        crime = make_report(*INSIDE, "crime")

        routes.route_report(other.pk)
        routes.route_report(crime.pk)

        assert primary_code(other) == "city"
        assert primary_code(crime) == "city"
        assert {c["jurisdiction_code"] for c in other.routing_decisions.get().candidates} == {
            "city"
        }


@pytest.mark.usefixtures("command_center")
class TestNearestAndTriage:
    def test_it_picks_the_nearest_jurisdiction_within_the_tolerance(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("pupr-timur", zones.timur, primary=["road_damage"])
        make_jurisdiction("pupr-barat", zones.barat, primary=["road_damage"], priority=50)
        make_jurisdiction("bpbd", zones.city, supporting=["road_damage"])
        report = make_report(*JUST_OUTSIDE, "road_damage")

        decision = routes.route_report(report.pk)

        assert decision is not None and decision.rule == RoutingDecision.Rule.NEAREST
        assert decision.tolerance_m == 100.0
        assert primary_code(report) == "pupr-timur"  # Barat's edge is 1.1 km away
        assert supporting_codes(report) == ["bpbd"]
        [*candidates] = decision.candidates
        assert {c["jurisdiction_code"] for c in candidates} == {"pupr-timur", "bpbd"}
        assert all(50 < c["distance_m"] < 60 for c in candidates), candidates

    def test_it_sends_a_point_beyond_the_tolerance_to_triage(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        report = make_report(*FAR_OUTSIDE, "road_damage")

        decision = routes.route_report(report.pk)

        assert decision is not None and decision.rule == RoutingDecision.Rule.TRIAGE
        assert decision.candidates == []
        assert primary_code(report) == "command-center"
        report.refresh_from_db()
        assert report.status == Report.Status.TRIAGE

    def test_it_follows_the_configured_tolerance(
        self,
        zones: Zones,
        make_jurisdiction: MakeJurisdiction,
        make_report: MakeReport,
        settings: Settings,
    ) -> None:
        settings.ROUTING_TOLERANCE_M = 30
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        report = make_report(*JUST_OUTSIDE, "road_damage")

        decision = routes.route_report(report.pk)

        assert decision is not None and decision.rule == RoutingDecision.Rule.TRIAGE
        assert decision.tolerance_m == 30

    def test_it_triages_a_category_nobody_serves(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        make_jurisdiction("psc-119", zones.city, supporting=["fire"])
        report = make_report(*INSIDE, "fire")

        decision = routes.route_report(report.pk)

        assert decision is not None and decision.rule == RoutingDecision.Rule.TRIAGE
        # The supporting-only candidate is recorded, but it cannot take the report alone.
        assert [c["jurisdiction_code"] for c in decision.candidates] == ["psc-119"]
        assert primary_code(report) == "command-center"
        assert supporting_codes(report) == []


@pytest.mark.usefixtures("command_center")
class TestDecision:
    def test_it_routes_once_however_often_it_is_asked(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        report = make_report(*INSIDE, "road_damage")

        first = routes.route_report(report.pk)
        second = routes.route_report(report.pk)
        tasks.route_report(report.pk)

        assert first is not None and second is not None and first.pk == second.pk
        assert RoutingDecision.objects.filter(report=report).count() == 1
        assert Assignment.objects.filter(report=report).count() == 1

    def test_it_stores_the_explanation(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        version = make_jurisdiction("pupr", zones.city, primary=["road_damage"], priority=7)
        report = make_report(*INSIDE, "road_damage")

        routes.route_report(report.pk)

        decision = RoutingDecision.objects.get(report=report)
        assert decision.rule == "covers" and decision.is_current
        assert decision.duration_ms > 0
        assert decision.tolerance_m == 100.0
        assert decision.candidates == [
            {
                "version_id": version.pk,
                "version": 1,
                "jurisdiction_code": "pupr",
                "agency_id": version.jurisdiction.agency_id,
                "agency_code": "pupr",
                "priority": 7,
                "area_m2": pytest.approx(version.area_m2),
                "role": "primary",
                "distance_m": 0.0,
            }
        ]
        # 0.02° by 0.02° on the equator: 2.226 km east-west by 2.211 km north-south.
        assert version.area_m2 == pytest.approx(2226.4 * 2211.4, rel=0.001)
        assignment = Assignment.objects.get(report=report)
        assert assignment.decision == decision and assignment.jurisdiction_version == version

    def test_it_keeps_an_earlier_explanation_when_a_jurisdiction_changes(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        v1 = make_jurisdiction("pupr", zones.barat, primary=["road_damage"])
        before = make_report(*INSIDE, "road_damage")
        routes.route_report(before.pk)
        explained = RoutingDecision.objects.get(report=before).candidates

        v2 = jurisdictions.save_jurisdiction_version(
            v1.jurisdiction,
            coverage=zones.city,
            primary_categories=["road_damage", "flooding"],
            supporting_categories=[],
            priority=15,
            note="now the whole city",
        )

        v1.refresh_from_db()
        assert (v2.version, v2.is_current) == (2, True)
        assert not v1.is_current and v1.valid_to is not None
        assert v1.pieces.count() == 0 and v2.pieces.count() > 0
        assert v1.coverage.equals(zones.barat)  # the old version is never changed
        decision = RoutingDecision.objects.get(report=before)
        assert decision.candidates == explained
        assert decision.candidates[0]["version_id"] == v1.pk
        assert Assignment.objects.get(report=before).jurisdiction_version == v1
        after = make_report(*INSIDE, "road_damage")
        routes.route_report(after.pk)
        assert Assignment.objects.get(report=after).jurisdiction_version == v2

    def test_it_does_not_version_an_unchanged_jurisdiction(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction
    ) -> None:
        v1 = make_jurisdiction("pupr", zones.city, primary=["road_damage", "flooding"])
        again = make_jurisdiction("pupr", zones.city, primary=["flooding", "road_damage"])

        assert again.pk == v1.pk
        assert v1.jurisdiction.versions.count() == 1

    def test_it_logs_and_leaves_a_missing_report(self) -> None:
        assert routes.route_report(10**9) is None

    def test_it_routes_through_the_celery_task(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        report = make_report(*INSIDE, "road_damage")

        tasks.route_report.apply(args=(report.pk,)).get()

        assert primary_code(report) == "pupr"


@pytest.mark.usefixtures("command_center")
class TestTimeline:
    def test_it_records_the_routing_step_on_the_report_timeline(
        self, zones: Zones, make_jurisdiction: MakeJurisdiction, make_report: MakeReport
    ) -> None:
        pupr = make_jurisdiction("pupr", zones.city, primary=["road_damage"])
        report = make_report(*INSIDE, "road_damage")

        routes.route_report(report.pk)
        routes.route_report(report.pk)  # idempotent: no second event

        (event,) = ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.STATUS)
        assert (event.status_from, event.status_to) == ("received", "routed")
        assert event.actor == ReportEvent.Actor.SYSTEM
        assert event.agency_id == pupr.jurisdiction.agency_id

    def test_it_records_triage_on_the_timeline(self, make_report: MakeReport) -> None:
        report = make_report(*FAR_OUTSIDE, "road_damage")

        routes.route_report(report.pk)

        event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.STATUS)
        assert event.status_to == "triage" and event.agency_id is None
