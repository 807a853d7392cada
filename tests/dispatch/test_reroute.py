"""reroute: set-based re-routing of open reports after jurisdictions change."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command

from geo_klik.dispatch.actions import jurisdictions, rerouting, routes
from geo_klik.dispatch.models import Assignment, Jurisdiction, RoutingDecision
from geo_klik.reports.models import Report
from tests.dispatch.conftest import MakeJurisdiction, MakeReport, Zones

BARAT_UTARA = (-0.005, 100.005)
BARAT_SELATAN = (-0.015, 100.005)
TIMUR = (-0.005, 100.015)


def outcome(report: Report) -> tuple[str, str, list[str]]:
    decision = RoutingDecision.objects.get(report=report, is_current=True)
    rows = Assignment.objects.filter(report=report, active=True).select_related("agency")
    primary = [a.agency.code for a in rows if a.role == "primary"]
    assert len(primary) == 1
    return decision.rule, primary[0], sorted(a.agency.code for a in rows if a.role != "primary")


@pytest.fixture
def garbage_zones(
    zones: Zones,
    make_jurisdiction: MakeJurisdiction,
    make_report: MakeReport,
    command_center: object,
) -> list[Report]:
    """Two DLH zones (Barat, Timur) and a routed garbage report in each of three kelurahan."""
    make_jurisdiction("dlh-west", zones.barat, agency="dlh-a", primary=["garbage"])
    make_jurisdiction("dlh-east", zones.timur, agency="dlh-b", primary=["garbage"])
    reports = [make_report(*at, "garbage") for at in (BARAT_UTARA, BARAT_SELATAN, TIMUR)]
    for report in reports:
        routes.route_report(report.pk)
    return reports


def move_barat_selatan_east(zones: Zones) -> None:
    west = Jurisdiction.objects.get(code="dlh-west")
    east = Jurisdiction.objects.get(code="dlh-east")
    barat_selatan = zones.barat.difference(zones.barat_utara)
    jurisdictions.save_jurisdiction_version(
        west,
        coverage=zones.barat_utara,
        primary_categories=["garbage"],
        supporting_categories=[],
        priority=10,
    )
    jurisdictions.save_jurisdiction_version(
        east,
        coverage=zones.timur.union(barat_selatan),
        primary_categories=["garbage"],
        supporting_categories=[],
        priority=10,
    )


def test_it_reports_what_would_move_and_writes_nothing_in_a_dry_run(
    zones: Zones, garbage_zones: list[Report]
) -> None:
    move_barat_selatan_east(zones)

    summary = rerouting.reroute_open_reports()

    assert not summary.committed
    assert summary.considered == 3
    assert summary.moves == {("dlh-a", "dlh-b"): 1}
    assert RoutingDecision.objects.count() == 3
    assert outcome(garbage_zones[1])[1] == "dlh-a"


def test_it_moves_only_the_reports_whose_agency_changes(
    zones: Zones, garbage_zones: list[Report]
) -> None:
    utara, selatan, timur = garbage_zones
    old = RoutingDecision.objects.get(report=selatan)
    move_barat_selatan_east(zones)

    summary = rerouting.reroute_open_reports(commit=True, batch_size=2)

    assert summary.moves == {("dlh-a", "dlh-b"): 1} and summary.considered == 3
    assert outcome(selatan) == ("covers", "dlh-b", [])
    new = RoutingDecision.objects.get(report=selatan, is_current=True)
    assert new.note == "reroute" and new.tolerance_m == 100.0
    east_v2 = Jurisdiction.objects.get(code="dlh-east").versions.get(is_current=True)
    assert [(c["jurisdiction_code"], c["version"], c["role"]) for c in new.candidates] == [
        ("dlh-east", 2, "primary")
    ]
    assert new.candidates[0]["version_id"] == east_v2.pk
    assert Assignment.objects.get(report=selatan, active=True).jurisdiction_version == east_v2
    # The old decision and assignment are kept, retired, with their explanation unchanged.
    old_after = RoutingDecision.objects.get(pk=old.pk)
    assert not old_after.is_current and old_after.candidates == old.candidates
    assert not Assignment.objects.get(decision=old).active
    for untouched in (utara, timur):
        assert RoutingDecision.objects.filter(report=untouched).count() == 1
    # Nothing left to do: a second run moves nothing.
    assert rerouting.reroute_open_reports(commit=True).moved == 0


def test_it_never_touches_an_acknowledged_or_manually_transferred_report(
    zones: Zones, garbage_zones: list[Report]
) -> None:
    utara, selatan, _ = garbage_zones
    Report.objects.filter(pk=selatan.pk).update(status=Report.Status.ACKNOWLEDGED)
    RoutingDecision.objects.filter(report=utara).update(rule=RoutingDecision.Rule.MANUAL)
    Jurisdiction.objects.filter(code="dlh-west").update(active=False)
    move_barat_selatan_east(zones)

    summary = rerouting.reroute_open_reports(commit=True)

    assert summary.moves == {}
    assert outcome(selatan)[1] == "dlh-a"
    assert outcome(utara)[1] == "dlh-a"


def test_it_takes_a_report_out_of_triage_when_a_jurisdiction_now_covers_it(
    zones: Zones,
    make_jurisdiction: MakeJurisdiction,
    make_report: MakeReport,
    command_center: object,
) -> None:
    report = make_report(*TIMUR, "fire")
    routes.route_report(report.pk)
    assert outcome(report)[0] == "triage"
    make_jurisdiction("damkar", zones.city, primary=["fire"])
    make_jurisdiction("psc-119", zones.city, supporting=["fire"])

    summary = rerouting.reroute_open_reports(commit=True)

    assert summary.moves == {("command-center", "damkar"): 1}
    assert outcome(report) == ("covers", "damkar", ["psc-119"])
    report.refresh_from_db()
    assert report.status == Report.Status.ROUTED


def test_it_agrees_with_route_report_on_every_rule(
    zones: Zones,
    make_jurisdiction: MakeJurisdiction,
    make_report: MakeReport,
    command_center: object,
) -> None:
    # A grid over the city and 150 m around it (on edges, inside, within and beyond the
    # tolerance) times categories served by overlapping, prioritised, supporting jurisdictions.
    make_jurisdiction("polres", zones.city, primary=["traffic_accident", "crime"], priority=5)
    make_jurisdiction("polsek-barat", zones.barat, primary=["traffic_accident"], priority=20)
    make_jurisdiction("psc-119", zones.timur, supporting=["traffic_accident", "fire"])
    make_jurisdiction("dishub", zones.city, supporting=["traffic_accident"])
    make_jurisdiction("office-bu", zones.barat_utara, primary=["other"], priority=30)
    make_jurisdiction("cc-city", zones.city, agency="command-center", primary=["other"])
    make_jurisdiction("damkar", zones.barat, primary=["fire"])
    steps = [-0.0014, -0.0005, 0.0, 0.003, 0.005, 0.01, 0.015, 0.02, 0.0205, 0.0214]
    points = [(-lat, 100.0 + lon) for lat, lon in itertools.product(steps, steps)]
    categories = ["traffic_accident", "crime", "other", "fire", "garbage"]
    old = [make_report(lat, lon, c) for (lat, lon), c in itertools.product(points, categories)]
    for report in old:
        routes.route_report(report.pk)
    # Now change the jurisdictions, re-route the old reports, and route new ones afresh.
    polsek = Jurisdiction.objects.get(code="polsek-barat")
    jurisdictions.save_jurisdiction_version(
        polsek,
        coverage=zones.city,
        primary_categories=["traffic_accident", "crime"],
        supporting_categories=["fire"],
        priority=20,
    )
    Jurisdiction.objects.filter(code="office-bu").update(active=False)
    make_jurisdiction("dlh", zones.timur, primary=["garbage"], supporting=["other"])

    summary = rerouting.reroute_open_reports(commit=True, batch_size=97)

    assert summary.moved > 0
    fresh = [make_report(r.location.y, r.location.x, r.category.code) for r in old]
    for report in fresh:
        routes.route_report(report.pk)
    rules = set()
    for before, after in zip(old, fresh, strict=True):
        assert outcome(before) == outcome(after), (before.location, before.category.code)
        rules.add(outcome(after)[0])
    assert rules == {"covers", "nearest", "triage"}


def test_it_runs_as_a_command_dry_run_unless_commit(
    zones: Zones, garbage_zones: list[Report]
) -> None:
    move_barat_selatan_east(zones)
    out = io.StringIO()

    call_command("reroute", "--no-progress", stdout=out)

    assert "1 would be re-routed" in out.getvalue()
    assert "dlh-a -> dlh-b" in out.getvalue() and "--commit" in out.getvalue()
    assert outcome(garbage_zones[1])[1] == "dlh-a"
    out = io.StringIO()
    call_command("reroute", "--commit", stdout=out, stderr=io.StringIO())
    assert "1 re-routed" in out.getvalue()
    assert outcome(garbage_zones[1])[1] == "dlh-b"
