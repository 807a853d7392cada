"""manage.py seed_information: the 30 places of interest and the example announcements."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from geo_klik.information import seed


class Command(BaseCommand):
    help = (
        "Create the missing seeded places of interest (approximate positions) and example "
        "announcements; rows that exist already are left as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed.seed_information()
        for message in report.messages:
            self.stdout.write(self.style.WARNING(message))
        self.stdout.write(
            f"Tempat / places: {report.places_created} created, {report.places_existing} "
            f"already there, {report.kelurahan_filled} given their kelurahan."
        )
        if report.places_outside:
            self.stdout.write(
                "Di luar kelurahan kota / outside the city's kelurahan: "
                + ", ".join(report.places_outside)
            )
        self.stdout.write(
            f"Pengumuman contoh / example announcements: {report.announcements_created} "
            f"created, {report.announcements_existing} already there."
        )
