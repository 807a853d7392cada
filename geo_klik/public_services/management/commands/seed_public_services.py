"""manage.py seed_public_services: offices and the service catalogue, only the missing rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from geo_klik.public_services import seed


class Command(BaseCommand):
    help = (
        "Create the missing public service offices (kantor lurah, kantor camat, MPP, "
        "Disdukcapil, puskesmas; approximate positions) and services with their documents. "
        "Never changes existing rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed.seed_all()
        self.stdout.write(report.as_text())
