"""Celery tasks of the dispatch app: each takes ids, re-fetches, and calls one action."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from geo_klik.dispatch.actions import notifications, routes, sla, units

# A delivery that met a database error is tried again this soon, this many times (the resend job
# picks up the row after that).
DATABASE_RETRY_S = 5
DATABASE_MAX_RETRIES = 24


@shared_task(
    name="geo_klik.dispatch.tasks.route_report",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
)
def route_report(report_id: int) -> None:
    """Route this report, and with it every report waiting; safe to run twice."""
    routes.route_report_and_waiting(report_id)


@shared_task(name="geo_klik.dispatch.tasks.sweep_unrouted_reports", ignore_result=True)
def sweep_unrouted_reports() -> int:
    """Queue again the reports left unrouted too long, whatever lost them."""
    return routes.requeue_unrouted_reports()


@shared_task(name="geo_klik.dispatch.tasks.deliver_notification", bind=True, ignore_result=True)
def deliver_notification(self: Task, notification_id: int) -> None:  # type: ignore[type-arg]
    """Send one notification; on failure retry with exponential back-off (recorded per try)."""
    try:
        notifications.deliver(notification_id)
    except (OperationalError, InterfaceError) as exc:
        # PostgreSQL restarting: try again soon rather than wait minutes for the resend job;
        # no delivery was recorded, so the row is still pending whatever happens here.
        raise self.retry(
            exc=exc, countdown=DATABASE_RETRY_S, max_retries=DATABASE_MAX_RETRIES
        ) from exc
    except notifications.DeliveryFailed as exc:
        attempt = self.request.retries + 1
        raise self.retry(
            exc=exc,
            countdown=notifications.backoff_s(attempt),
            max_retries=settings.NOTIFICATION_MAX_ATTEMPTS,
        ) from exc


@shared_task(name="geo_klik.dispatch.tasks.resend_pending_notifications", ignore_result=True)
def resend_pending_notifications() -> int:
    """Every minute (beat): queue again the notifications left pending (broker down, lost retry)."""
    return notifications.resend_pending()


@shared_task(name="geo_klik.dispatch.tasks.check_sla", ignore_result=True)
def check_sla() -> dict[str, int]:
    """Every minute (beat): escalate unacknowledged reports, flag overdue resolutions."""
    return sla.check()


@shared_task(name="geo_klik.dispatch.tasks.delete_old_positions", ignore_result=True)
def delete_old_positions() -> int:
    """Every hour (beat): units' positions are kept 30 days, then deleted."""
    return units.delete_old_positions()
