"""seed_demo: write (or remove) a synthetic report history for the planner pages."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geo_klik.analytics import demo


class Command(BaseCommand):
    help = (
        "Tulis riwayat laporan demo (sintetis) / write a synthetic demo report history; "
        "--remove menghapusnya / removes it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--reports", type=int, default=10_000, help="how many reports")
        parser.add_argument("--days", type=int, default=730, help="history length, ending now")
        parser.add_argument("--batch-size", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=20261128)
        parser.add_argument("--remove", action="store_true", help="delete every demo report")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["remove"]:
            removed = demo.remove()
            self.stdout.write(f"{removed} laporan demo dihapus / demo reports removed")
            return
        if options["reports"] < 1 or options["days"] < 1:
            raise CommandError("--reports and --days must be at least 1")
        plan = demo.SeedPlan(
            reports=options["reports"],
            days=options["days"],
            batch_size=options["batch_size"],
            seed=options["seed"],
        )
        with tqdm(total=plan.reports, unit="laporan", disable=options["verbosity"] < 1) as bar:

            def advance(reports: int) -> None:
                bar.update(reports)

            try:
                written = demo.seed(plan, progress=advance)
            except demo.NothingToSeed as exc:
                raise CommandError(
                    "Belum ada kelurahan/kategori: jalankan provision_data / "
                    "no kelurahan or categories: run provision_data first"
                ) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{written} laporan demo ditulis dalam {elapsed:.1f} s / demo reports written"
        )
