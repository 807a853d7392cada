"""manage.py create_demo_accounts: one demo account per role, for development only.

Production gets no default accounts: the command refuses to run unless DEBUG is on or
``--i-know-this-is-not-production`` is given (``make run``, which is a local stack by
definition, passes the flag). New passwords are random, printed once and kept in
``var/demo-accounts.txt`` (mode 0600). Running it again changes nothing (existing accounts
keep their passwords) unless ``--reset`` is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo_klik.accounts import actions, demo_file


class Command(BaseCommand):
    help = "Create one demo account per staff role (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Run although DEBUG is off (a local stack that is not production).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Give every demo account a new password."
        )
        parser.add_argument(
            "--file",
            default=str(Path(settings.VAR_DIR) / "demo-accounts.txt"),
            help="Where the passwords are kept (mode 0600).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["not_production"]):
            raise CommandError(
                "Akun demo tidak dibuat: DEBUG mati (produksi?). / Demo accounts not created: "
                "DEBUG is off (production?). Pass --i-know-this-is-not-production on a local stack."
            )
        path = Path(options["file"])
        results = actions.create_demo_accounts(reset=options["reset"])
        rows = demo_file.read(path)
        for result in results:
            if result.password is not None:
                rows[result.username] = [
                    result.username,
                    result.role,
                    result.agency_code or "-",
                    result.password,
                ]
        demo_file.write(path, rows)
        for result in results:
            if result.password is not None:
                self.stdout.write(
                    f"{result.username:<18} {result.role:<11} {result.agency_code or '-':<22} "
                    f"{result.password}"
                )
            elif result.username not in rows:
                self.stdout.write(
                    f"{result.username:<18} ada, kata sandi tidak diketahui / exists, password "
                    "unknown (use --reset)"
                )
        self.stdout.write(f"Kata sandi disimpan di / passwords kept in {path} (0600)")
