"""Exit non-zero when Celery beat's heartbeat (run by a worker) is missing or stale."""

from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo_klik.ops import tasks


class Command(BaseCommand):
    help = (
        "Periksa detak Celery beat. Check that Celery beat and a worker recorded a heartbeat "
        "recently (used as the beat container's health check)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age-s", type=float, default=180.0)

    def handle(self, *args: Any, **options: Any) -> None:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3)
        try:
            raw = client.get(tasks.HEARTBEAT_KEY)
        except redis.RedisError as exc:
            raise CommandError(f"Redis tidak terjangkau / Redis unreachable: {exc}") from exc
        finally:
            client.close()
        if raw is None:
            raise CommandError("Belum ada detak / no heartbeat recorded yet")
        age_s = time.time() - float(raw)
        if age_s > options["max_age_s"]:
            raise CommandError(
                f"Detak terakhir {age_s:.0f} s lalu / last heartbeat {age_s:.0f} s ago"
            )
        self.stdout.write(f"ok: heartbeat {age_s:.0f} s ago")
