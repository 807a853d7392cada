"""Seed an empty database the way the stack provisions it and dump every row, for comparisons.

    .venv/bin/python scripts/seed_snapshot.py DATABASE_URL OUT.json

The database must exist and be empty (``createdb``). The clock is fixed while seeding, so rows
whose times are computed from "now" (announcements, promotions, community events) compare
equal between runs. Written for the move of the seed content to data files (issue 14): run it
on the code before and after and compare the two files with ``cmp``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

FIXED_NOW = dt.datetime(2025, 1, 8, 3, 0, tzinfo=dt.UTC)
# Columns that differ between two seedings for reasons other than the seed content.
SKIPPED_COLUMNS = {
    "password",
    "last_login",
    "date_joined",
}  # date_joined: a default bound at import
SKIPPED_TABLES = {"django_migrations", "django_session", "spatial_ref_sys"}


def main(database_url: str, out: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")
    sys.path.insert(0, str(Path.cwd()))
    import django
    from django.utils import timezone

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    timezone.now = lambda: FIXED_NOW  # every caller reads django.utils.timezone.now
    call_command("migrate", interactive=False, verbosity=0)
    call_command("provision_data")
    call_command("seed_business")
    call_command("seed_community")
    dump: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall() if row[0] not in SKIPPED_TABLES]
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608  # names from the catalogue
            names = [column.name for column in cursor.description or []]
            rows = [
                {n: v for n, v in zip(names, row, strict=True) if n not in SKIPPED_COLUMNS}
                for row in cursor.fetchall()
            ]
            if rows:
                dump[table] = rows
    out.write_text(json.dumps(dump, default=str, sort_keys=True, indent=1), encoding="utf-8")
    print(f"{out}: {len(dump)} tables, {sum(len(r) for r in dump.values())} rows")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
