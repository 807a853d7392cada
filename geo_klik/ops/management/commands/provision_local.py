"""What the local stack (`python -m stack`) runs before serving: migrate, static, data."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from geo_klik.boundaries import catalog, cities


class Command(BaseCommand):
    help = (
        "Siapkan basis data lokal (idempoten). Prepare the local database (idempotent): "
        "migrate, collectstatic, provision_data, and with --demo the demo accounts and the demo "
        "content of the business directory and the community board. Run by `make run`, "
        "`make up` and `make bench`; the last line it prints names the kelurahan layer in use."
    )
    # As when the stack ran it in-process through call_command, which skips them: the system
    # checks cost about 0.8 s of CPU at every start, and the servers and the tests run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="demo accounts (one per staff role) and demo content; never in production",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("provision_data")
        if options["demo"]:
            call_command("create_demo_accounts", i_know_this_is_not_production=True)
            call_command("seed_business")
            call_command("seed_community")
        choice = cities.layer_choice(cities.configured())
        path = catalog.display_path(choice.path)
        self.stdout.write(f"{choice.kind} layer {path} ({choice.info.licence})")
