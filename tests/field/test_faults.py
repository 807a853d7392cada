"""Fault cases: Redis, the worker or PostgreSQL gone while an officer sends a step or a position.

Steps and positions are written by the web process in one transaction each; nothing of them
waits on the broker or a worker (the hooks that queue work after a step, e.g. the reporter's
notifications and the officers' pushes, leave rows their beat sweeps send later). So with Redis
down they are taken at once, and a retry of the same step (the phone's queue) is taken once.
With PostgreSQL down the API answers 503 and stores nothing; the phone keeps the step and its
retry is taken once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from geo_klik.celery import app as celery_app
from geo_klik.dispatch.models import UnitPosition
from geo_klik.field.models import FieldAction
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto
from tests.conftest import closed_port
from tests.field.conftest import FieldWorld, build_field, jpeg, step
from tests.personas import Personas


def reset_producer_pools() -> None:
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def redis_down() -> Iterator[None]:
    saved = celery_app.conf.broker_url
    celery_app.conf.update(broker_url=f"redis://127.0.0.1:{closed_port()}/0")
    reset_producer_pools()
    try:
        yield
    finally:
        celery_app.conf.update(broker_url=saved)
        reset_producer_pools()


def test_steps_and_positions_are_taken_once_while_redis_is_down(
    field: FieldWorld, redis_down: None, django_capture_on_commit_callbacks: Any
) -> None:
    officer = field.client(field.personas.pupr)
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):  # the hooks meet the dead broker
        position = officer.post(
            "/petugas/api/position/", {"lat": -0.0046, "lon": 100.0046}, format="json"
        )
        assert position.status_code == 200
        assert step(officer, field.report.pk, "on-scene").status_code == 201
        body = {"note": "Selesai.", "photo": jpeg()}
        first = step(officer, field.report.pk, "resolve", body, key=key, multipart=True)
        # The answer was lost on the way: the phone's queue sends the same step again.
        again = step(
            officer,
            field.report.pk,
            "resolve",
            {"note": "Selesai.", "photo": jpeg()},
            key=key,
            multipart=True,
        )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["repeated"] is True
    assert Report.objects.get(pk=field.report.pk).status == Report.Status.RESOLVED
    assert ReportEvent.objects.filter(report=field.report, status_to="resolved").count() == 1
    assert ReportPhoto.objects.filter(report=field.report).count() == 1
    assert UnitPosition.objects.filter(unit=field.unit).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_step_sent_while_postgresql_is_down_is_refused_then_taken_once(
    personas: Personas, routed_report: Any
) -> None:
    world = build_field(personas, routed_report)
    officer = world.client(personas.pupr)
    key = uuid.uuid4()
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port())
    try:
        down = step(officer, world.report.pk, "unable", {"reason": "Jalan ditutup."}, key=key)
        position = officer.post(
            "/petugas/api/position/", {"lat": -0.0046, "lon": 100.0046}, format="json"
        )
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    assert down.status_code == 503
    assert "Retry-After" in down
    assert position.status_code == 503
    assert not FieldAction.objects.exists()
    # PostgreSQL is back: the queue's retry, then a duplicate of it.
    assert (
        step(officer, world.report.pk, "unable", {"reason": "Jalan ditutup."}, key=key).status_code
        == 201
    )
    assert (
        step(officer, world.report.pk, "unable", {"reason": "Jalan ditutup."}, key=key).status_code
        == 200
    )
    notes = ReportEvent.objects.filter(
        report=world.report, kind="note", note__contains="Jalan ditutup."
    )
    assert notes.count() == 1
