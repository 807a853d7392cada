"""Positions from the field: on duty only, not when unchanged, kept 30 days, tracks for an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from geo_klik.dispatch import tasks as dispatch_tasks
from geo_klik.dispatch import unit_queries
from geo_klik.dispatch.actions import units
from geo_klik.dispatch.models import Unit, UnitPosition
from geo_klik.lib import geo
from tests.field.conftest import FieldWorld

URL = "/petugas/api/position/"


def test_it_stores_a_fix_and_moves_the_unit(field: FieldWorld) -> None:
    answer = field.client(field.personas.pupr).post(
        URL, {"lat": -0.0041, "lon": 100.0042, "accuracy_m": 8}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json() == {"kept": True}
    field.unit.refresh_from_db()
    assert field.unit.location is not None
    assert geo.lat_lon(field.unit.location) == pytest.approx((-0.0041, 100.0042))
    assert field.unit.location_accuracy_m == 8
    assert UnitPosition.objects.filter(unit=field.unit).count() == 1


def test_it_keeps_no_fix_when_the_position_has_not_changed(field: FieldWorld) -> None:
    client = field.client(field.personas.pupr)
    body = {"lat": -0.0041, "lon": 100.0042}
    assert client.post(URL, body, format="json").json() == {"kept": True}
    assert client.post(URL, body, format="json").json() == {"kept": False}
    assert UnitPosition.objects.count() == 1
    # Still there five minutes later: one "still here" fix.
    later = timezone.now() + units.POSITION_UNCHANGED_KEEP + timedelta(seconds=1)
    assert units.record_position(
        user=field.personas.pupr, lat=-0.0041, lon=100.0042, recorded_at=later
    )


def test_off_duty_sends_nothing(field: FieldWorld) -> None:
    p = field.personas
    units.end_shift(user=p.pupr2)
    answer = field.client(p.pupr2).post(URL, {"lat": -0.005, "lon": 100.005}, format="json")
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["code"] == "not_on_duty"
    assert not UnitPosition.objects.filter(unit=field.unit2).exists()
    field.unit2.refresh_from_db()
    assert field.unit2.status == Unit.Status.OFF_DUTY


def test_a_late_fix_joins_the_track_without_moving_the_marker_back(field: FieldWorld) -> None:
    now = timezone.now()
    user = field.personas.pupr
    units.record_position(user=user, lat=-0.0050, lon=100.0050, recorded_at=now)
    units.record_position(
        user=user, lat=-0.0040, lon=100.0040, recorded_at=now - timedelta(minutes=2)
    )
    field.unit.refresh_from_db()
    assert field.unit.location is not None
    assert geo.lat_lon(field.unit.location) == pytest.approx((-0.005, 100.005))
    track = unit_queries.tracks([field.unit.pk])[field.unit.pk]
    assert [p[:2] for p in track] == [[-0.004, 100.004], [-0.005, 100.005]]


def test_a_fix_from_the_phones_future_is_taken_as_now(field: FieldWorld) -> None:
    future = timezone.now() + timedelta(days=365)
    units.record_position(user=field.personas.pupr, lat=-0.0045, lon=100.0045, recorded_at=future)
    stored = UnitPosition.objects.get()
    assert stored.recorded_at <= timezone.now() + units.CLOCK_SKEW


@pytest.mark.parametrize(
    "body",
    [
        {"lat": 91, "lon": 100},
        {"lat": "NaN", "lon": 100},
        {"lat": "1e999", "lon": 100},
        {"lat": -0.3, "lon": 181},
        {"lat": "-0.3\x00", "lon": 100},
        {"lat": [1], "lon": 100},
        {"lon": 100},
        {"lat": -0.3, "lon": 100, "accuracy_m": -1},
        {"lat": -0.3, "lon": 100, "accuracy_m": 10**9},
        {"lat": -0.3, "lon": 100, "at": "yesterday"},
        {"lat": -0.3, "lon": 100, "at": 10**20},
    ],
)
def test_it_refuses_hostile_positions(field: FieldWorld, body: dict[str, object]) -> None:
    answer = field.client(field.personas.pupr).post(URL, body, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message_en"]
    assert not UnitPosition.objects.exists()


def test_the_beat_job_deletes_positions_older_than_30_days(field: FieldWorld) -> None:
    now = timezone.now()
    old = UnitPosition.objects.create(
        unit=field.unit, location=geo.point(-0.004, 100.004), recorded_at=now - timedelta(days=31)
    )
    kept = UnitPosition.objects.create(
        unit=field.unit, location=geo.point(-0.004, 100.004), recorded_at=now - timedelta(days=29)
    )
    assert dispatch_tasks.delete_old_positions() == 1
    assert list(UnitPosition.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not UnitPosition.objects.filter(pk=old.pk).exists()


def test_going_off_duty_ends_the_shift_and_refuses_with_a_job(field: FieldWorld) -> None:
    client = field.client(field.personas.pupr)
    refused = client.post("/petugas/api/duty/end/", {}, format="json")
    assert refused.status_code == 409
    other = field.client(field.personas.pupr2)
    assert other.post("/petugas/api/duty/end/", {}, format="json").status_code == 200
    me = other.get("/petugas/api/me/").json()
    assert me["shift"] is None
    # The unit of the officer's last shift comes first: one tap to go on duty again.
    assert [u["call_sign"] for u in me["units"]] == ["PUPR-2", "PUPR-1"]
    back = other.post("/petugas/api/duty/start/", {"unit": field.unit2.pk}, format="json")
    assert back.status_code == 200
    assert back.json()["shift"]["unit"]["status"] == "available"
