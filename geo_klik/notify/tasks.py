"""Celery tasks of the notify app: each takes an id and calls one action."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from geo_klik.notify import actions, retention

# PostgreSQL restarting: try again soon; the sweep catches anything after that.
DATABASE_RETRY_S = 5
DATABASE_MAX_RETRIES = 12


@shared_task(name=actions.SEAL_TASK, bind=True, ignore_result=True)
def seal_message(self: Task, message_id: int) -> None:  # type: ignore[type-arg]
    """Close a due message and queue its deliveries."""
    try:
        actions.seal(message_id)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(
            exc=exc, countdown=DATABASE_RETRY_S, max_retries=DATABASE_MAX_RETRIES
        ) from exc


@shared_task(name=actions.DELIVER_TASK, bind=True, ignore_result=True)
def deliver(self: Task, delivery_id: int) -> None:  # type: ignore[type-arg]
    """Try one delivery; a temporary failure queues its own retry with back-off (actions)."""
    try:
        actions.deliver(delivery_id)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(
            exc=exc, countdown=DATABASE_RETRY_S, max_retries=DATABASE_MAX_RETRIES
        ) from exc


@shared_task(name="geo_klik.notify.tasks.sweep", ignore_result=True)
def sweep() -> dict[str, int]:
    """Every 30 s (beat): whatever the broker lost (events, due messages, due deliveries)."""
    return actions.sweep()


@shared_task(name="geo_klik.notify.tasks.forget_expired_contacts", ignore_result=True)
def forget_expired_contacts() -> int:
    """Hourly (beat): contact details of reports closed longer ago than the retention."""
    return retention.forget_expired_contacts()
