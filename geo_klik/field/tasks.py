"""Celery tasks of the field app: each takes ids, re-fetches, and calls one action."""

from __future__ import annotations

from celery import shared_task

from geo_klik.field import actions


@shared_task(
    name="geo_klik.field.tasks.send_alert",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def send_alert(alert_id: int) -> str:
    """Push "your unit was dispatched" to the officer's browsers; safe to run twice."""
    return actions.send_alert(alert_id)


@shared_task(name="geo_klik.field.tasks.sweep_alerts", ignore_result=True)
def sweep_alerts() -> int:
    """Every 30 s (beat): queue again the alerts the broker lost."""
    return actions.sweep_alerts()
