"""Manage Open311 API keys: create (the key is printed once), list, deactivate."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo_klik.open311 import actions
from geo_klik.open311.models import ApiKey


class Command(BaseCommand):
    help = (
        "Kelola kunci API Open311 / manage Open311 API keys: "
        "create <name> | list | deactivate <prefix>"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="create a key and print it (shown only once)")
        create.add_argument("name", help="who holds the key, e.g. 'Aplikasi KLIK Android'")
        verbs.add_parser("list", help="list keys (prefix only: secrets are not stored)")
        deactivate = verbs.add_parser("deactivate", help="deactivate the key with this prefix")
        deactivate.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "create":
            api_key, raw_key = actions.create_api_key(name=options["name"])
            self.stderr.write(f"Created {api_key}. Copy the key now; it is not shown again:")
            self.stdout.write(raw_key)
        elif verb == "list":
            for api_key in ApiKey.objects.all():
                used = api_key.last_used_at.isoformat() if api_key.last_used_at else "never"
                state = "active" if api_key.active else "inactive"
                self.stdout.write(f"{api_key.prefix}  {state:8}  last used {used}  {api_key.name}")
        elif actions.deactivate_api_keys(prefix=options["prefix"]) == 0:
            raise CommandError(f"no active key with prefix {options['prefix']!r}")
        else:
            self.stdout.write(f"deactivated {options['prefix']}")
