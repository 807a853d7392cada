"""Re-route open reports after jurisdictions change; a dry run unless --commit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from geo_klik.dispatch.actions import rerouting


class Command(BaseCommand):
    help = (
        "Arahkan ulang laporan terbuka yang belum diterima SKPD (status routed/triage) ke wilayah "
        "tugas terkini. Re-route open reports no agency has acknowledged yet (status routed or "
        "triage) against the current jurisdictions. Dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write the new decisions")
        parser.add_argument(
            "--batch-size", type=int, default=rerouting.DEFAULT_BATCH_SIZE, help="reports per batch"
        )
        parser.add_argument(
            "--tolerance-m", type=float, default=None, help="default: ROUTING_TOLERANCE_M"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        bars: list[tqdm[Any]] = []

        def progress(total: int) -> rerouting.Progress:
            bar = tqdm(total=total, unit="report", file=self.stderr, disable=options["no_progress"])
            bars.append(bar)
            return bar.update

        try:
            summary = rerouting.reroute_open_reports(
                commit=options["commit"],
                batch_size=options["batch_size"],
                tolerance_m=options["tolerance_m"],
                progress=progress,
            )
        finally:
            for bar in bars:
                bar.close()
        for line in summary.as_lines():
            self.stdout.write(line)
        if not summary.committed and summary.moved:
            self.stdout.write("Dry run: nothing written. Run again with --commit to re-route.")
