"""manage.py seed_business: the 50 synthetic demo businesses (is_demo) and their promotions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from geo_klik.business import seed


class Command(BaseCommand):
    help = (
        "Create the missing synthetic demo businesses (UMKM) and promotions; idempotent, "
        "never changes existing rows. Needs the kelurahan boundaries (skips with a message)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(seed.seed().as_text())
