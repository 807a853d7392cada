"""switch_boundaries: load another kelurahan layer and re-route what it changes; dry run first."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from geo_klik.boundaries import catalog, cities, sources
from geo_klik.ops import boundary_switch


class Command(BaseCommand):
    help = (
        "Ganti lapisan kelurahan: muat, ikuti wilayah tugas, tetapkan ulang kelurahan laporan, "
        "arahkan ulang laporan terbuka. Switch the kelurahan layer: load it, let jurisdictions "
        "built from boundaries follow, reassign reports' kelurahan, re-route open reports. "
        "Dry run (everything rolled back) unless --commit."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", help="a kelurahan layer file (any GDAL format)")
        parser.add_argument(
            "--layer",
            choices=catalog.KEYWORDS,
            help="auto (default, as GEO_KLIK_BOUNDARY_LAYER), official or shipped",
        )
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["path"] and options["layer"]:
            raise CommandError(
                "Berikan path atau --layer, bukan keduanya. / Give a path or --layer, not both."
            )
        try:
            if options["path"]:
                choice = catalog.choose(str(Path(options["path"])))
            else:  # the configured city's layer (GEO_KLIK_CITY), never another city's
                choice = cities.choice_for(options["layer"])
            for line in choice.describe():
                self.stdout.write(line)
            summary = boundary_switch.switch(choice, commit=options["commit"])
        except sources.SourceError as exc:
            raise CommandError(f"{exc.message_id}\n{exc.message_en}") from exc
        for line in summary.as_lines():
            self.stdout.write(line)
        if not summary.report.ok:
            raise CommandError(
                "Impor ditolak, tidak ada yang ditulis (manage.py load_boundaries menjelaskan). / "
                f"Import refused, nothing written: {summary.report.refused_reason}."
            )
        if not options["commit"]:
            self.stdout.write(
                "Uji coba: tidak ada yang ditulis. / Dry run: nothing written; add --commit."
            )
