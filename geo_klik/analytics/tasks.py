"""Celery tasks of the analytics app."""

from __future__ import annotations

from celery import shared_task

from geo_klik.analytics import actions


@shared_task
def refresh_facts() -> None:
    """Refresh the planner fact view (scheduled by Celery beat), then pre-compute the
    default views' figures so planners and visitors do not wait for them."""
    actions.refresh_facts(concurrently=True)
    actions.warm_default_figures()
