"""Create the KLIK categories, SKPD agencies and jurisdictions that are missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from geo_klik.dispatch.actions import seeding


class Command(BaseCommand):
    help = (
        "Buat kategori, SKPD, dan wilayah tugas yang belum ada (idempoten). "
        "Create the categories, agencies and jurisdictions that are missing (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = seeding.seed_reference_data()
        except seeding.NoBoundaries as exc:
            raise CommandError(
                f"Batas wilayah belum dimuat / boundaries not loaded: {exc}"
            ) from exc
        self.stdout.write(
            "Reference data / data referensi: "
            + ", ".join(f"{count} {name} created" for name, count in counts.items())
        )
