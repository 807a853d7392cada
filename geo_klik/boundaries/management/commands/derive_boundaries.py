"""derive_boundaries: write the kecamatan and kota layers derived from a kelurahan layer."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from geo_klik.boundaries import catalog, derived, sources


class Command(BaseCommand):
    help = (
        "Tulis kecamatan.geojson dan kota.geojson hasil gabungan kelurahan. "
        "Write kecamatan.geojson and kota.geojson, the union of the kelurahan as the importer "
        "stores them (overlaps and gaps resolved). Default: the layer shipped in the "
        "repository, into its own folder."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", nargs="?", type=Path, help="kelurahan layer")
        parser.add_argument("--out", type=Path, help="folder to write to (default: the source's)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"] or catalog.shipped_path()
        out_dir = options["out"] or source.parent
        if not out_dir.is_dir():
            raise CommandError(f"Folder tidak ada / no such folder: {out_dir}")
        try:
            written = derived.write(source, out_dir)
        except sources.SourceError as exc:
            raise CommandError(f"{exc.message_id}\n{exc.message_en}") from exc
        except ValueError as exc:
            raise CommandError(f"Lapisan ditolak / layer refused: {exc}") from exc
        for path in written:
            self.stdout.write(f"written / ditulis: {path}")
