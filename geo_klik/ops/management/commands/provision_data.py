"""Load what a fresh database needs to serve: the boundaries and the reference data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from geo_klik.boundaries import cities, neighbours, sources
from geo_klik.notify import vapid
from geo_klik.ops import boundary_switch


class Command(BaseCommand):
    help = (
        "Muat batas wilayah dan data referensi (idempoten). "
        "Load boundaries and reference data (idempotent); run by `make run` at every start. "
        "Says which kelurahan layer is used, its licence and its measured quality; a change of "
        "layer re-routes the open reports (dry-run summary first)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # GEO_KLIK_CITY: which kota/kabupaten; a database serving another is never mixed.
            city = cities.configured()
            cities.check_database(city)
            self.stdout.write(f"Kota/kabupaten / city: {city.name} ({city.code}), {city.province}")
            choice = cities.layer_choice(city)
            for line in choice.describe():
                self.stdout.write(line)
            boundary_switch.ensure(choice, self.stdout.write)
            cities.forget_served()
            for line in neighbours.load(city).lines():
                self.stdout.write(line)
        except sources.SourceError as exc:  # CityError is one
            raise CommandError(f"{exc.message_id}\n{exc.message_en}") from exc
        # Indonesia's national layers: installed from a local copy (../shared/data/indonesia) when
        # there is one; never the network at start-up (else one line says how to fetch them).
        call_command("fetch_national_boundaries", local_only=True, no_progress=True)
        call_command("seed_reference_data")
        # The other service areas' reference rows: offices and their service catalogue, places
        # of interest. Each creates only missing rows, so an admin's corrections stay.
        if city.code == cities.DEFAULT_CODE:
            call_command("seed_public_services")
            call_command("seed_information")
        else:
            self.stdout.write(
                f"Kantor layanan, puskesmas, tempat dan pengumuman contoh adalah data kota bawaan "
                f"({cities.DEFAULT_CODE}): tidak dimuat untuk {city.name}; tambahkan lewat admin. "
                f"/ Offices, puskesmas, places and example announcements are the default city's "
                f"data ({cities.DEFAULT_CODE}): not seeded for {city.name}; add them in the admin."
            )
        # Web Push: the server's VAPID key pair, created at the first start and kept.
        self.stdout.write(f"Web Push: VAPID public key {vapid.public_key()}")
