"""Faults: SMTP server down, broker down when queueing, one channel failing beside another."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from celery import current_app
from pytest_django.fixtures import Settings

from geo_klik.notify import actions, tasks
from geo_klik.notify.models import Delivery, Message
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent
from tests.notify.conftest import (
    EMAIL,
    PHONE,
    Queued,
    RecordingGateway,
    RecordingSMTP,
    add_contact,
    free_port,
    run_due,
)


def acknowledge(report: Report) -> None:
    report_actions.change_status(report, Report.Status.ACKNOWLEDGED, actor=ReportEvent.Actor.STAFF)


def test_it_retries_while_the_smtp_server_is_down_then_gives_up(
    report: Report, settings: Settings, queued: Queued
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.NOTIFY_MAX_ATTEMPTS = 4
    add_contact(report, email=EMAIL, channels=["email"])
    acknowledge(report)
    run_due()
    delivery = Delivery.objects.get()
    waits = []
    while delivery.status == "failed":
        assert delivery.last_error == "retry: SMTP unreachable: ConnectionRefusedError"
        waits.append(delivery.next_attempt_at)
        run_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("gave_up", 4)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(waits)]
    assert gaps == [60, 120]  # 30 s, then doubling


def test_it_sends_once_the_smtp_server_is_back(
    report: Report, settings: Settings, queued: Queued
) -> None:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    add_contact(report, email=EMAIL, channels=["email"])
    acknowledge(report)
    run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    server = RecordingSMTP(port)  # the server comes back
    try:
        run_due(now=delivery.next_attempt_at)
    finally:
        server.controller.stop()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(server.messages)) == ("sent", 2, 1)


def test_a_failing_channel_never_holds_up_another(
    report: Report, smtp: RecordingSMTP, gateway: RecordingGateway, queued: Queued
) -> None:
    gateway.status = 503
    add_contact(report, email=EMAIL, phone=PHONE, channels=["email", "sms"])
    acknowledge(report)
    run_due()
    outcome = dict(Delivery.objects.values_list("channel", "status"))
    assert outcome == {"email": "sent", "sms": "failed"}
    assert len(smtp.messages) == 1


def test_it_loses_nothing_when_the_broker_is_down_at_commit(
    report: Report,
    smtp: RecordingSMTP,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(current_app, "send_task", broker_down)
    add_contact(report, email=EMAIL, channels=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(report)  # the hook fails to queue, the change itself stands
    assert Report.objects.get(pk=report.pk).status == "acknowledged"
    message = Message.objects.get()
    assert message.sealed_at is None
    # Beat's sweep, once Redis is back, finds the message due and sends it.
    with django_capture_on_commit_callbacks(execute=True):
        counts = run_due()
    assert counts == {"attached": 0, "sealed": 1, "tried": 1}
    assert len(smtp.messages) == 1
    assert run_due(now=message.not_before + timedelta(hours=1))["tried"] == 0


def test_the_tasks_call_the_actions(report: Report, smtp: RecordingSMTP, queued: Queued) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    acknowledge(report)
    message = Message.objects.get()
    tasks.seal_message.apply((message.pk,))
    (delivery,) = Delivery.objects.all()
    tasks.deliver.apply((delivery.pk,))
    tasks.deliver.apply((delivery.pk,))  # a duplicate from the broker: nothing twice
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(smtp.messages) == 1
    assert tasks.seal_message.name == actions.SEAL_TASK
