"""The beat sweep that queues again the notifications nobody is delivering."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from geo_klik.dispatch import tasks
from geo_klik.dispatch.actions import notifications
from geo_klik.dispatch.models import Notification

pytestmark = pytest.mark.django_db


def notification(name: str, *, age_s: int, **fields: Any) -> Notification:
    row = Notification.objects.create(
        dedupe_key=name,
        kind="routed",
        channel=Notification.Channel.EMAIL,
        recipient=f"{name}@example.org",
        subject="Laporan KLIK baru",
        body="...",
        **fields,
    )
    # created_at is auto_now_add: age the row afterwards.
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(seconds=age_s)
    )
    return row


def test_it_queues_again_only_what_nobody_is_delivering(monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[int] = []
    monkeypatch.setattr(
        tasks.deliver_notification,
        "apply_async",
        lambda args, kwargs=None, **kw: queued.append(args[0]),
    )
    now = timezone.now()
    broker_was_down = notification("down", age_s=600)
    lost_retry = notification(
        "lost", age_s=3600, attempts=2, last_attempt_at=now - timedelta(minutes=30)
    )
    notification("fresh", age_s=5)  # its task is probably still in the queue
    notification(  # waiting out its 20 s back-off in Celery
        "retrying", age_s=600, attempts=2, last_attempt_at=now - timedelta(seconds=30)
    )
    notification("sent", age_s=600, state=Notification.State.SENT)
    notification("failed", age_s=600, state=Notification.State.FAILED, attempts=6)

    assert tasks.resend_pending_notifications() == 2
    assert sorted(queued) == sorted([broker_was_down.pk, lost_retry.pk])


def test_it_survives_the_broker_still_being_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.deliver_notification, "apply_async", refuse)
    row = notification("down", age_s=600)
    assert tasks.resend_pending_notifications() == 0
    row.refresh_from_db()
    assert row.state == Notification.State.PENDING  # next minute's sweep tries again


def test_a_notification_queued_twice_is_sent_once() -> None:
    row = notification("twice", age_s=600)
    notifications.deliver(row.pk)
    notifications.deliver(row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (Notification.State.SENT, 1)
    assert len(mail.outbox) == 1


def test_it_runs_every_minute_on_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["resend-pending-notifications"]
    assert entry == {
        "task": "geo_klik.dispatch.tasks.resend_pending_notifications",
        "schedule": 60.0,
    }
