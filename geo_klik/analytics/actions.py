"""Writes of the analytics app: refreshing the planner fact view."""

from __future__ import annotations

from django.db import connection


def refresh_facts(*, concurrently: bool = False) -> None:
    """Rebuild analytics_report_facts from the reports, their timelines and ratings.

    ``concurrently`` keeps the view readable during the refresh (for the periodic task); it
    cannot run inside a transaction block, which tests use.
    """
    mode = "CONCURRENTLY " if concurrently else ""
    with connection.cursor() as cursor:
        cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}analytics_report_facts")
        # Fresh statistics, or the planner guesses a year holds 5,000 rows and sorts on disk.
        cursor.execute("ANALYZE analytics_report_facts")
