"""Celery tasks of outgoing Open311: each takes ids, re-fetches, and calls one action."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from geo_klik.open311 import outgoing

DATABASE_RETRY_S = 5
DATABASE_MAX_RETRIES = 24


@shared_task(name="geo_klik.open311.tasks.send_outgoing", bind=True, ignore_result=True)
def send_outgoing(self: Task, outgoing_id: int) -> None:  # type: ignore[type-arg]
    """POST one report to its SKPD's server; on failure retry with exponential back-off."""
    try:
        outgoing.send(outgoing_id)
    except (OperationalError, InterfaceError) as exc:
        # PostgreSQL restarting: soon again; a claimed attempt left "sending" is the sweep's.
        raise self.retry(
            exc=exc, countdown=DATABASE_RETRY_S, max_retries=DATABASE_MAX_RETRIES
        ) from exc
    except outgoing.SendFailed as exc:
        attempt = self.request.retries + 1
        raise self.retry(
            exc=exc,
            countdown=outgoing.backoff_s(attempt),
            max_retries=settings.OPEN311_OUTGOING_MAX_ATTEMPTS,
        ) from exc


@shared_task(name="geo_klik.open311.tasks.sweep_outgoing", ignore_result=True)
def sweep_outgoing() -> int:
    """Every minute (beat): queue again the rows nobody is sending (broker down, worker died)."""
    return outgoing.sweep()


@shared_task(name="geo_klik.open311.tasks.pull_updates", ignore_result=True)
def pull_updates() -> dict[str, int]:
    """Every few minutes (beat): ids for tokens, and the SKPDs' servers' updates."""
    return outgoing.pull_all()
