"""Celery tasks of the KLIK intake: each takes ids, re-fetches, and calls one action."""

from __future__ import annotations

from celery import shared_task

from geo_klik.lib import geocoding
from geo_klik.reports import actions


@shared_task(
    name="geo_klik.reports.tasks.geocode_report",
    ignore_result=True,
    autoretry_for=(geocoding.GeocodingUnavailable,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    # Public providers ask for at most one request per second (Nominatim's usage policy).
    rate_limit="1/s",
)
def geocode_report(report_id: int) -> None:
    """Look up the street address of one report (only when GEOCODER is set)."""
    actions.geocode_report(report_id)


@shared_task(name="geo_klik.reports.tasks.close_unanswered", ignore_result=True)
def close_unanswered() -> int:
    """Hourly (beat): close reports resolved 14 days ago that the reporter never answered."""
    return actions.close_unanswered()
