"""Writes of the analytics app: refreshing the planner fact view."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from geo_klik.analytics import filters, queries
from geo_klik.analytics.migrations import _facts
from geo_klik.analytics.models import FactsRefresh


def refresh_facts(*, concurrently: bool = False) -> None:
    """Rebuild analytics_report_facts from the reports, their timelines and ratings, then
    the SKPD rollups from it (analytics_skpd_daily and analytics_skpd_durations).

    ``concurrently`` keeps the view readable during the refresh (for the periodic task); it
    cannot run inside a transaction block, which tests use.
    """
    mode = "CONCURRENTLY " if concurrently else ""
    with connection.cursor() as cursor:
        for view in ("analytics_report_facts", *_facts.ROLLUPS):
            cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}{view}")
            # Fresh statistics, or the planner guesses a year holds 5,000 rows and sorts on
            # disk.
            cursor.execute(f"ANALYZE {view}")
    # A new generation: cached figures of the previous view are no longer used.
    with transaction.atomic():
        FactsRefresh.objects.all().delete()
        FactsRefresh.objects.create(refreshed_at=_database_now())


# The views a planner or a visitor opens without choosing a period: the page's default and
# the year. Pre-computed after each periodic refresh, so they open from the cache.
WARM_DAYS = (filters.DEFAULT_DAYS, 365)


def warm_default_figures() -> None:
    """Compute (and so cache, for every web worker) the figures of the default views."""
    for days in WARM_DAYS:
        queries.dashboard(filters.last_days(days))


def _database_now() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (moment,) = cursor.fetchone() or (None,)
    return moment if isinstance(moment, datetime) else timezone.now()
