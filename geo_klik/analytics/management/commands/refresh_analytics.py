"""refresh_analytics: rebuild the planner fact view now (Celery beat does it periodically)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from geo_klik.analytics import actions


class Command(BaseCommand):
    help = "Perbarui angka perencana / refresh the planner figures (analytics_report_facts)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        actions.refresh_facts()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Angka perencana diperbarui / planner figures refreshed ({elapsed:.1f} s)"
        )
