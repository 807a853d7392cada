"""Celery tasks of area alerts: each calls one action."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from geo_klik.alerts import actions

# PostgreSQL restarting: try again soon; the sweep catches anything after that.
DATABASE_RETRY_S = 5
DATABASE_MAX_RETRIES = 12


@shared_task(name=actions.FAN_OUT_TASK, bind=True, ignore_result=True)
def fan_out(self: Task, report_id: int, kind: str) -> None:  # type: ignore[type-arg]
    """Make the deliveries of one report's news."""
    try:
        actions.fan_out(report_id, kind)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(
            exc=exc, countdown=DATABASE_RETRY_S, max_retries=DATABASE_MAX_RETRIES
        ) from exc


@shared_task(name=actions.SEND_TASK, bind=True, ignore_result=True)
def send_due(self: Task) -> None:  # type: ignore[type-arg]
    """Send due deliveries (a batch; queues a successor if more are due)."""
    try:
        actions.send_due()
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(
            exc=exc, countdown=DATABASE_RETRY_S, max_retries=DATABASE_MAX_RETRIES
        ) from exc


@shared_task(name="geo_klik.alerts.tasks.collect_digests", ignore_result=True)
def collect_digests() -> int:
    """Beat, every 10 minutes: the daily digests due since ALERTS_DIGEST_HOUR."""
    return actions.collect_digests()


@shared_task(name="geo_klik.alerts.tasks.sweep", ignore_result=True)
def sweep() -> dict[str, int]:
    """Beat, every 30 s: what the broker lost (triggers, fan-outs, sends)."""
    return actions.sweep()
