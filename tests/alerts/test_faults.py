"""Faults: Redis down when a report is resolved, routing in bulk (no signal), a worker killed
while it holds a delivery, PostgreSQL errors in tasks. Nothing lost, nothing sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from geo_klik.alerts import actions
from geo_klik.alerts.models import AlertDelivery, AlertTrigger
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.alerts.conftest import CENTRE, at_distance, make_report, resolve, route, subscribe
from tests.conftest import TinyCity
from tests.notify.conftest import Queued, RecordingSMTP


def test_it_loses_nothing_when_redis_is_down_as_a_report_is_resolved(
    tiny_city: TinyCity,
    garbage: Category,
    smtp: RecordingSMTP,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe([garbage], centre=CENTRE, radius_m=1000, new_reports=False)
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)

    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(current_app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        resolve(report)  # the fan-out cannot be queued; the resolution itself stands
    assert Report.objects.get(pk=report.pk).status == "resolved"
    trigger = AlertTrigger.objects.get(kind="resolved")
    assert trigger.fanned_out_at is None and smtp.messages == []
    # Beat's sweep, once Redis is back (or in process while it is not), sends it.
    with django_capture_on_commit_callbacks(execute=True):
        counts = actions.sweep()
    assert counts["fanned_out"] >= 1 and counts["tried"] == 1
    assert len(smtp.messages) == 1
    assert actions.sweep() == {"recorded": 0, "fanned_out": 0, "tried": 0}
    assert len(smtp.messages) == 1


def test_the_sweep_finds_reports_routed_in_bulk(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    subscribe([garbage], centre=CENTRE, radius_m=1000)
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    # dispatch's surge routing writes its events with bulk_create: no post_save, no receiver.
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report=report,
                kind=ReportEvent.Kind.STATUS,
                actor=ReportEvent.Actor.SYSTEM,
                status_from="received",
                status_to="routed",
            )
        ]
    )
    Report.objects.filter(pk=report.pk).update(status="routed", routed_at=timezone.now())
    assert not AlertTrigger.objects.exists()
    counts = actions.sweep()
    assert (counts["recorded"], counts["tried"]) == (1, 1)
    assert len(smtp.messages) == 1
    assert actions.sweep()["recorded"] == 0


def test_the_sweep_ignores_old_history(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    event = route(report)
    AlertTrigger.objects.all().delete()
    ReportEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert actions.sweep()["recorded"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_holding_a_delivery_sends_nothing_twice(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    for i in range(3):
        subscribe([garbage], centre=CENTRE, radius_m=1000, email=f"warga{i}@example.id")
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    actions.fan_out(report.pk, "new")
    first = AlertDelivery.objects.filter(kind="alert").order_by("next_attempt_at", "id").first()
    assert first is not None
    claimed, killed = threading.Event(), threading.Event()

    def dying_worker() -> None:
        # Claims the first due row as send_one does, then "dies" before the SMTP server
        # accepted anything: its transaction is rolled back, its lock released.
        try:
            with transaction.atomic():
                list(AlertDelivery.objects.select_for_update(skip_locked=True).filter(pk=first.pk))
                claimed.set()
                killed.wait(10)
                raise RuntimeError("SIGKILL")
        except RuntimeError:
            pass
        finally:
            connection.close()

    worker = threading.Thread(target=dying_worker)
    worker.start()
    assert claimed.wait(10)
    # The other worker skips the locked row and sends the rest.
    assert actions.send_due() == 2
    first.refresh_from_db()
    assert first.status == "queued" and first.attempts == 0
    killed.set()
    worker.join(10)
    # What the dead worker held is due again and sent once, by whoever claims it next.
    assert actions.send_due() == 1
    assert actions.send_due() == 0
    received = sorted(r for m in smtp.messages for r in m.rcpt_tos)
    assert received == ["warga0@example.id", "warga1@example.id", "warga2@example.id"]
    assert AlertDelivery.objects.filter(kind="alert", status="sent").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_fan_outs_at_once_make_each_delivery_once(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    for i in range(20):
        subscribe([garbage], centre=CENTRE, radius_m=1000, email=f"warga{i}@example.id")
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    results: list[int] = []

    def run() -> None:
        try:
            results.append(actions.fan_out(report.pk, "new"))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == [0, 0, 0, 20]
    assert AlertDelivery.objects.filter(kind="alert").count() == 20
