"""Load what a fresh database needs to serve: the boundaries and the reference data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Muat batas wilayah dan data referensi (idempoten). "
        "Load boundaries and reference data (idempotent); run by `make run` at every start."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_boundaries", commit=True, if_changed=True, no_progress=True)
        call_command("seed_reference_data")
        # The other service areas' reference rows: offices and their service catalogue, places
        # of interest. Each creates only missing rows, so an admin's corrections stay.
        call_command("seed_public_services")
        call_command("seed_information")
