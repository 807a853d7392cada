"""The console's unit layer: moves pushed as "positions", the board, tracks and figures."""

from __future__ import annotations

import json
import select
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from geo_klik.control import events, live
from geo_klik.dispatch import unit_queries
from geo_klik.dispatch.actions import field_steps, units, workflow
from geo_klik.dispatch.models import UnitAssignment
from geo_klik.reports.models import ReportEvent
from tests.field.conftest import FieldWorld
from tests.personas import Personas


def notifications_of(work: Any) -> list[str]:
    """The console payloads a committed piece of work sends (LISTEN on our own connection)."""
    with live.session() as conn, conn.cursor() as cursor:
        cursor.execute(f"LISTEN {live.CHANNEL}")
        work()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            select.select([conn], [], [], 0.2)
            conn.poll()
            if conn.notifies and time.monotonic() > deadline - 4.5:  # all of one commit
                break
        return [n.payload for n in conn.notifies]


@pytest.mark.django_db(transaction=True)
def test_a_move_is_a_positions_change_and_a_status_a_units_change(
    personas: Personas, routed_report: Any
) -> None:
    from tests.field.conftest import build_field

    world = build_field(personas, routed_report)
    moved = notifications_of(
        lambda: units.record_position(user=personas.pupr, lat=-0.0045, lon=100.0045)
    )
    agency = world.unit.agency_id
    [payload] = [json.loads(m) for m in moved]
    world.unit.refresh_from_db()
    assert world.unit.location_at is not None
    assert payload == {
        "k": "positions",
        "a": [agency],
        "p": [world.unit.pk, -0.0045, 100.0045, round(world.unit.location_at.timestamp(), 3)],
    }
    assert live.parse_with_position(moved[0]) == ("positions", [agency], tuple(payload["p"]))
    stepped = notifications_of(lambda: field_steps.en_route(world.report.pk, user=personas.pupr))
    assert {"k": "units", "a": [agency]} in [json.loads(m) for m in stepped]
    connection.close()


def test_the_board_shows_officer_job_time_on_scene_and_staleness(field: FieldWorld) -> None:
    p = field.personas
    units.record_position(user=p.pupr, lat=-0.0045, lon=100.0045)
    field_steps.on_scene(field.report.pk, user=p.pupr)
    UnitAssignment.objects.filter(unit=field.unit).update(
        assigned_at=timezone.now() - timedelta(minutes=9),
        arrived_at=timezone.now() - timedelta(minutes=2),
    )
    rows = {
        r["call_sign"]: r
        for r in field.client(p.supervisor).get("/api/staff/units/board/").json()["results"]
    }
    mine = rows["PUPR-1"]
    assert mine["officer"] == "pupr"
    assert mine["stale"] is False
    assert mine["job"]["tracking_code"] == field.report.tracking_code
    assert 415 <= mine["job"]["dispatch_to_arrival_s"] <= 425
    assert 115 <= mine["job"]["on_scene_s"] <= 130
    assert rows["PUPR-2"]["stale"] is True  # its position is from before the shift: never sent
    # An SKPD sees its own units only.
    pupr_view = field.client(p.pupr).get("/api/staff/units/board/").json()["results"]
    assert {r["call_sign"] for r in pupr_view} == {"PUPR-1", "PUPR-2"}
    assert field.client(p.planner).get("/api/staff/units/board/").status_code == 403


def test_a_position_older_than_five_minutes_is_stale(field: FieldWorld) -> None:
    units.record_position(user=field.personas.pupr, lat=-0.0045, lon=100.0045)
    field.unit.refresh_from_db()
    later = timezone.now() + timedelta(minutes=5, seconds=1)
    row = unit_queries.board_row(field.unit, now=later)
    assert row["stale"] is True
    assert unit_queries.board_row(field.unit, now=timezone.now())["stale"] is False


def test_tracks_hold_the_last_hour_for_the_units_the_user_sees(field: FieldWorld) -> None:
    p = field.personas
    now = timezone.now()
    units.record_position(
        user=p.pupr, lat=-0.0040, lon=100.0040, recorded_at=now - timedelta(minutes=61)
    )
    units.record_position(
        user=p.pupr, lat=-0.0041, lon=100.0041, recorded_at=now - timedelta(minutes=30)
    )
    units.record_position(user=p.pupr, lat=-0.0042, lon=100.0042, recorded_at=now)
    units.record_position(user=p.polsek, lat=-0.0050, lon=100.0150, recorded_at=now)
    seen = field.client(p.pupr).get("/api/staff/units/tracks/").json()["results"]
    assert len(seen) == 1
    assert [pt[:2] for pt in seen[0]["points"]] == [[-0.0041, 100.0041], [-0.0042, 100.0042]]
    everyone = field.client(p.operator).get("/api/staff/units/tracks/").json()["results"]
    assert len(everyone) == 2


def test_response_times_match_a_hand_count(field: FieldWorld) -> None:
    """Oracle: three PUPR jobs with known times; medians and p90 by hand (linear interpolation)."""
    p = field.personas
    base = timezone.now() - timedelta(days=1)
    workflow.resolve(field.report.pk, user=p.operator, note="x")
    UnitAssignment.objects.all().delete()
    ReportEvent.objects.filter(status_to="resolved").delete()
    reports = [field.report, field.police_report]
    # PUPR-1: arrivals after 4, 6 and 14 minutes; resolutions 10 and 30 minutes after arrival.
    made = []
    for minutes_to_arrive, minutes_to_resolve, report in (
        (4, 10, reports[0]),
        (6, 30, reports[1]),
        (14, None, reports[0]),
    ):
        job = UnitAssignment.objects.create(unit=field.unit, report=report)
        arrived = base + timedelta(minutes=minutes_to_arrive)
        UnitAssignment.objects.filter(pk=job.pk).update(
            assigned_at=base, arrived_at=arrived, released_at=base + timedelta(hours=2)
        )
        made.append(job)
        if minutes_to_resolve is not None:
            event = ReportEvent.objects.create(
                report=report, kind="status", actor="staff", status_to="resolved"
            )
            ReportEvent.objects.filter(pk=event.pk).update(
                created_at=arrived + timedelta(minutes=minutes_to_resolve)
            )
    found = unit_queries.response_times(
        start=base - timedelta(minutes=1), end=timezone.now(), agency_ids=None
    )
    times = found[field.unit.agency_id]
    assert times.arrivals == 3
    assert times.arrival_p50_s == pytest.approx(6 * 60)
    assert times.arrival_p90_s == pytest.approx((6 + 0.8 * 8) * 60)  # between 6 and 14 min
    # Per report, from its first arrival: report 0 (arrived 4 min, resolved 14) and report 1.
    assert times.resolutions == 2
    assert times.resolution_p50_s == pytest.approx(20 * 60)
    assert times.resolution_p90_s == pytest.approx((10 + 0.9 * 20) * 60)
    figures = field.client(p.supervisor).get("/api/staff/units/figures/?hari=7").json()
    assert figures["results"][0]["agency"] == p.pupr_agency.code
    assert field.client(p.supervisor).get("/api/staff/units/figures/?hari=0").status_code == 400
    assert field.client(p.supervisor).get("/api/staff/units/figures/?hari=1%00").status_code == 400
    assert (
        field.client(p.supervisor)
        .get("/api/staff/units/figures/?hari=99999999999999999999")
        .status_code
        == 400
    )


def test_a_consoles_stream_carries_the_moves_of_the_units_it_sees() -> None:
    pupr = live.Subscription(live.Scope(city_wide=False, agency_id=7))
    everyone = live.Subscription(live.Scope(city_wide=True, agency_id=0))
    for subscription in (pupr, everyone):
        subscription.offer(["positions"], [7], (1, -0.3, 100.3, 10.0))
        subscription.offer(["positions"], [7], (1, -0.31, 100.31, 11.0))  # the latest wins
        subscription.offer(["positions"], [8], (2, -0.2, 100.2, 12.0))
    assert pupr.take_with_positions() == (["positions"], [(1, -0.31, 100.31, 11.0)])
    ticker = events.Ticker(everyone, lifetime_s=60, heartbeat_s=15)
    text = ticker.step() or ""
    data = json.loads(text.split("data: ")[1])
    assert data == {
        "changed": ["positions"],
        "positions": [[1, -0.31, 100.31, 11.0], [2, -0.2, 100.2, 12.0]],
    }
    assert events.message(["units"], 3) == 'id: 3\nevent: change\ndata: {"changed": ["units"]}\n\n'


def test_a_malformed_position_is_not_understood() -> None:
    assert live.parse_with_position('{"k": "positions", "a": [1], "p": [1, "x", 2, 3]}') is None
    assert live.parse_with_position('{"k": "positions", "a": [1], "p": [1, 2]}') is None
    assert live.parse_with_position('{"k": "positions", "a": [1], "p": null}') == (
        "positions",
        [1],
        None,
    )


def test_an_officers_phone_is_told_of_reports_only() -> None:
    phone = live.Subscription(
        live.Scope(city_wide=False, agency_id=7), wanted=frozenset({"reports"})
    )
    phone.offer(["positions"], [7], (1, -0.3, 100.3, 10.0))
    phone.offer(["units"], [7])
    assert phone.take_with_positions() == ([], [])
    phone.offer(["reports"], [7])
    assert phone.take_with_positions() == (["reports"], [])


@pytest.mark.parametrize(
    "raw", ["", "moves", "reports,moves", "reports\x00", "positions," * 100, ",", "REPORTS"]
)
def test_it_refuses_unknown_kinds(field: FieldWorld, raw: str) -> None:
    from django.test import Client

    web = Client()
    web.force_login(field.personas.pupr)  # type: ignore[arg-type]
    answer = web.get("/api/staff/events/", {"kinds": raw})
    assert answer.status_code == 400
    assert events.wanted_kinds("reports,units") == frozenset({"reports", "units"})
    assert events.wanted_kinds(None) is None
