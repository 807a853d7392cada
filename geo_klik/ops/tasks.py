"""Celery tasks of the ops app."""

from __future__ import annotations

import time

import redis
from celery import shared_task
from django.conf import settings

HEARTBEAT_KEY = "geo_klik:beat:heartbeat"


@shared_task(name="geo_klik.ops.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> float:
    """Run by Celery beat every minute through the worker; proves the whole chain is alive."""
    now = time.time()
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.set(HEARTBEAT_KEY, str(now), ex=600)
    finally:
        client.close()
    return now
