"""manage.py seed_community: a demo resident and about a dozen demo posts and events."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from geo_klik.community import seed


class Command(BaseCommand):
    help = (
        "Create the demo resident and demo community posts/events (is_demo) on the loaded "
        "kelurahan; only what is missing. Does nothing without boundaries."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(seed.seed_demo().as_text())
