"""fetch_national_boundaries: install Indonesia's national boundary layers, verified.

Thin wrapper over :mod:`geo_klik.boundaries.national`; see
data/kelurahan_boundaries/indonesia/README.md.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from geo_klik.boundaries import national


class Command(BaseCommand):
    help = (
        "Pasang lapisan batas wilayah nasional (kab/kota, kecamatan, desa) yang terverifikasi. / "
        "Install the verified national boundary layers (kab/kota, kecamatan, desa): an installed "
        "copy, else the local copy ../shared/data/indonesia, else the pinned upstream "
        "(cahyadsn/wilayah_boundaries), converted and checked against "
        "data/kelurahan_boundaries/indonesia/upstream.json."
    )
    # Files only: no database, so it can run before the stack's services are up.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--from",
            dest="source",
            metavar="DIR_OR_URL",
            help="a local copy directory (the three .geojsonl.gz) or the URL of a mirror of the "
            "upstream tree (http(s):// or file://, same layout as the repository)",
        )
        parser.add_argument(
            "--local-only",
            action="store_true",
            help="never use the network: install from a local copy if there is one, else say so "
            "and exit 0",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="re-hash the installed files and compare the shipped West Sumatra files; "
            "installs nothing",
        )
        parser.add_argument(
            "--keep-downloads",
            action="store_true",
            help="keep the verified upstream SQL files under <target>/upstream/",
        )
        parser.add_argument(
            "--target", type=Path, help="where to install (default: GEO_KLIK_NATIONAL_DIR)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["target"] or national.default_target()
        progress = not options["no_progress"] and sys.stderr.isatty()
        try:
            manifest = national.load_manifest()
            if options["check"]:
                self.verify(target, manifest)
                return
            result = national.fetch(
                target,
                source=options["source"],
                local_copy=national.default_local_copy(),
                local_only=options["local_only"],
                keep_downloads=options["keep_downloads"],
                manifest=manifest,
                progress=progress,
            )
        except national.NationalError as exc:
            raise CommandError(f"{exc.message_id}\n{exc.message_en}") from exc
        except OSError as exc:  # disk full, permissions, ...
            raise CommandError(f"Gagal menulis/membaca berkas: {exc}\nFile error: {exc}") from exc
        except KeyboardInterrupt:
            raise CommandError(
                "Dihentikan; unduhan yang sudah terverifikasi disimpan untuk dilanjutkan.\n"
                "Interrupted; verified downloads are kept, run the command again to resume."
            ) from None
        self.stdout.write(self.summary(result))

    def summary(self, result: national.FetchResult) -> str:
        where = result.target
        if result.action == "missing":
            return (
                f"Lapisan batas nasional belum terpasang (terverifikasi) di {where}; ambil dengan "
                f"`{national.FETCH_COMMAND}`. / National boundary layers are not installed "
                f"(verified) in {where}; fetch them with `{national.FETCH_COMMAND}`."
            )
        if result.action == "already":
            return (
                f"Sudah terpasang dan terverifikasi: 3 berkas di {where} ({result.seconds:.2f} s). "
                f"/ Already installed and verified: 3 files in {where} ({result.seconds:.2f} s)."
            )
        skipped = ""
        if result.skipped_rows:
            skipped = (
                f"; {len(result.skipped_rows)} baris dilewati seperti berkas terbitan / "
                f"{len(result.skipped_rows)} rows left out as in the published files"
            )
        if result.action == "local":
            how_id, how_en = "disalin dari salinan lokal", "copied from the local copy"
        else:
            how_id = f"diunduh {result.downloaded} + {result.reused} tersimpan, dikonversi"
            how_en = f"{result.downloaded} downloaded + {result.reused} cached, converted"
        return (
            f"Terpasang {result.files} berkas, {result.megabytes:.1f} MB, {how_id}, "
            f"{result.seconds:.1f} detik, di {where}. / Installed {result.files} files, "
            f"{result.megabytes:.1f} MB, {how_en}, {result.seconds:.1f} s, in {where}{skipped}."
        )

    def verify(self, target: Path, manifest: national.Manifest) -> None:
        if not national.installed_ok(target, manifest, rehash=True):
            raise CommandError(
                f"Berkas nasional di {target} tidak ada atau checksum tidak cocok; jalankan "
                f"`{national.FETCH_COMMAND}`.\nNational files in {target} are missing or their "
                f"checksum does not match; run `{national.FETCH_COMMAND}`."
            )
        differing = national.check_sumbar(target)
        if differing:
            raise CommandError(
                f"Berkas Sumatera Barat di repositori berbeda dari data nasional provinsi 13: "
                f"{', '.join(differing)}\nThe West Sumatra files in the repository differ from "
                f"the national data filtered to province 13: {', '.join(differing)}"
            )
        self.stdout.write(
            f"Terverifikasi: 3 berkas nasional di {target} cocok dengan manifest, dan 3 berkas "
            f"Sumatera Barat sama dengan provinsi 13. / Verified: 3 national files in {target} "
            "match the manifest, and the 3 West Sumatra files equal province 13."
        )
