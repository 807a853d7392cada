"""load_boundaries: check a kelurahan layer and, with --commit, load it (kecamatan/kota derived)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from geo_klik.boundaries import importer, sources


class Command(BaseCommand):
    help = (
        "Check a kelurahan boundary layer (GeoJSON, Shapefile, ...) and report invalid "
        "geometries, overlaps and gaps in m² (and how they are resolved). Dry-run unless --commit. "
        "Without a path, the layer named by --layer: auto (default: the city's official layer "
        "when present, else the one shipped in the repository), official or shipped."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="kelurahan layer to load")
        parser.add_argument(
            "--layer",
            choices=sorted(importer.LAYERS),
            help="layer to load when no path is given (default: auto, as GEO_KLIK_BOUNDARY_LAYER; "
            "primary = official, alt = shipped)",
        )
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument(
            "--repair", action="store_true", help="repair invalid geometries with MakeValid"
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="skip quickly when this exact source was the last one committed",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["path"] is not None and options["layer"] is not None:
            raise CommandError(
                "Berikan path atau --layer, bukan keduanya. / Give a path or --layer, not both."
            )
        try:
            path = options["path"] or importer.layer_path(options["layer"] or "auto")
            report = importer.import_layer(
                path,
                commit=options["commit"],
                repair=options["repair"],
                progress=not options["no_progress"],
                if_changed=options["if_changed"],
            )
        except sources.SourceError as exc:
            raise CommandError(f"{exc.message_id}\n{exc.message_en}") from exc
        self.stdout.write(report.as_text(), ending="")
        if options["commit"] and not report.ok:
            raise CommandError(
                "Impor ditolak, tidak ada yang ditulis (lihat laporan di atas; perbaiki sumbernya "
                "atau pakai --repair).\n"
                f"Import refused, nothing written: {report.refused_reason} "
                "(see the report above; fix the source or use --repair)."
            )
