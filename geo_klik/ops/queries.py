"""Reads about the health of the services geo_klik depends on."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import DatabaseError, connection

from geo_klik.lib import redis_cache


class ServiceDown(Exception):
    """A backing service (PostGIS or Redis) cannot be reached."""


def postgis_version() -> str:
    """The PostGIS library version of the default database, e.g. '3.3 USE_GEOS=1 ...'."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            row = cursor.fetchone()
    except DatabaseError as exc:
        raise ServiceDown(
            str(exc).strip().splitlines()[0] if str(exc).strip() else "error"
        ) from exc
    return str(row[0]) if row else ""


def redis_ping(*, timeout_s: float = 1.0) -> None:
    """Ping the Redis broker; raise ServiceDown if it does not answer within the timeout."""
    # A pooled client: the health check is polled, and a connection per poll cost more than it.
    client = redis_cache.shared_client(settings.REDIS_URL, timeout_s=timeout_s)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ServiceDown(str(exc)) from exc
