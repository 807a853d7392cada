"""Celery tasks of the dispatch app: each takes ids, re-fetches, and calls one action."""

from __future__ import annotations

from celery import shared_task

from geo_klik.dispatch import actions


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
    """Route one accepted report; safe to run twice (the action is idempotent)."""
    actions.route_report(report_id)


@shared_task(name="geo_klik.dispatch.tasks.sweep_unrouted_reports", ignore_result=True)
def sweep_unrouted_reports() -> int:
    """Queue again the reports left unrouted too long, whatever lost them."""
    return actions.requeue_unrouted_reports()
