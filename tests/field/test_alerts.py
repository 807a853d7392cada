"""Told at once: a dispatch is pushed to the crewing officer's browsers, even across a broker
outage, once; the push subscriptions are checked like the residents'."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import current_app
from django.utils import timezone
from pytest_django.fixtures import Settings

from geo_klik.dispatch.actions import units, workflow
from geo_klik.field import actions
from geo_klik.field import tasks as field_tasks
from geo_klik.field.models import DispatchAlert, OfficerPushSubscription
from tests.field.conftest import FieldWorld
from tests.notify.push_receiver import Browser, PushService, push_service
from tests.personas import BARAT


@pytest.fixture(autouse=True)
def loopback_push(settings: Settings, tmp_path: Path) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    settings.NOTIFY_PUSH_TIMEOUT_S = 2.0


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


def new_job(field: FieldWorld, routed_report: Any) -> Any:
    """A second report, dispatched to PUPR-2 (crewed by pupr2)."""
    report = routed_report((BARAT[0] + 0.001, BARAT[1]), "road_damage")
    workflow.acknowledge(report.pk, user=field.personas.operator)
    workflow.assign_units(report.pk, user=field.personas.operator, unit_ids=[field.unit2.pk])
    return report


def test_a_dispatch_is_pushed_to_the_crewing_officer(
    field: FieldWorld,
    routed_report: Any,
    service: PushService,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    browser = Browser()
    answer = field.client(field.personas.pupr2).post(
        "/petugas/api/push/", {"subscription": service.subscription(browser)}, format="json"
    )
    assert answer.status_code == 201
    sent: list[int] = []

    def enqueue(pk: int) -> bool:
        sent.append(pk)
        return True

    monkeypatch.setattr(actions, "enqueue_alert", enqueue)
    with django_capture_on_commit_callbacks(execute=True):
        report = new_job(field, routed_report)
    [alert] = DispatchAlert.objects.filter(assignment__unit=field.unit2)
    assert sent == [alert.pk]
    assert field_tasks.send_alert(alert.pk) == "sent"
    [received] = service.received
    shown = browser.decrypt(received.body)
    assert report.tracking_code in shown["body"]
    assert shown["url"] == f"/petugas/#insiden/{report.pk}"
    # Sent once: a second run (a redelivered task) does nothing.
    assert field_tasks.send_alert(alert.pk) == "taken"
    assert len(service.received) == 1


def test_a_dispatch_made_while_redis_is_down_is_pushed_by_the_sweep(
    field: FieldWorld,
    routed_report: Any,
    service: PushService,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actions.subscribe_push(field.personas.pupr2, service.subscription(Browser()))
    DispatchAlert.objects.update(state=DispatchAlert.State.SENT)  # the fixture's dispatches

    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(current_app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        new_job(field, routed_report)  # the dispatch itself stands
    alert = DispatchAlert.objects.get(assignment__unit=field.unit2)
    assert alert.state == DispatchAlert.State.PENDING
    monkeypatch.undo()
    queued: list[int] = []

    def enqueue(pk: int) -> bool:
        queued.append(pk)
        return True

    monkeypatch.setattr(actions, "enqueue_alert", enqueue)
    assert actions.sweep_alerts(now=timezone.now() + timedelta(minutes=1)) == 1
    assert queued == [alert.pk]
    actions.send_alert(alert.pk)
    assert len(service.received) == 1
    assert actions.sweep_alerts(now=timezone.now() + timedelta(minutes=1)) == 0


def test_a_unit_nobody_crews_makes_no_push(field: FieldWorld, routed_report: Any) -> None:
    # Off duty on the phone, but set available through the staff API (a radio crew).
    units.end_shift(user=field.personas.pupr2)
    units.update_unit(field.unit2.pk, user=field.personas.operator, status="available")
    new_job(field, routed_report)
    assert DispatchAlert.objects.get(assignment__unit=field.unit2).state == "nobody"


def test_a_gone_subscription_is_forgotten(
    field: FieldWorld, routed_report: Any, service: PushService
) -> None:
    actions.subscribe_push(field.personas.pupr2, service.subscription(Browser()))
    service.status = 410
    new_job(field, routed_report)
    alert = DispatchAlert.objects.get(assignment__unit=field.unit2)
    assert actions.send_alert(alert.pk) == "sent"
    assert not OfficerPushSubscription.objects.exists()


def test_a_busy_push_service_is_tried_again(
    field: FieldWorld, routed_report: Any, service: PushService
) -> None:
    actions.subscribe_push(field.personas.pupr2, service.subscription(Browser()))
    service.status = 503
    new_job(field, routed_report)
    alert = DispatchAlert.objects.get(assignment__unit=field.unit2)
    assert actions.send_alert(alert.pk) == "pending"
    service.status = 201
    assert actions.send_alert(alert.pk) == "sent"


@pytest.mark.parametrize(
    "subscription",
    [
        None,
        "x",
        {"endpoint": "http://10.0.0.1/push", "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "https://user:pw@push.example.org/x", "keys": {}},
        {"endpoint": "https://push.example.org/\x00", "keys": {}},
        {"endpoint": "https://push.example.org/" + "a" * 5000, "keys": {}},
    ],
)
def test_it_refuses_hostile_subscriptions(field: FieldWorld, subscription: object) -> None:
    answer = field.client(field.personas.pupr).post(
        "/petugas/api/push/", {"subscription": subscription}, format="json"
    )
    assert answer.status_code == 400
    assert not OfficerPushSubscription.objects.exists()


def test_an_officer_unsubscribes_only_their_own_browser(
    field: FieldWorld, service: PushService
) -> None:
    row = actions.subscribe_push(field.personas.pupr, service.subscription(Browser()))
    other = field.client(field.personas.pupr2).delete(
        "/petugas/api/push/", {"endpoint": row.endpoint}, format="json"
    )
    assert other.json() == {"unsubscribed": False}
    mine = field.client(field.personas.pupr).delete(
        "/petugas/api/push/", {"endpoint": row.endpoint}, format="json"
    )
    assert mine.json() == {"unsubscribed": True}
