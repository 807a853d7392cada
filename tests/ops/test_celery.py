"""The Celery app delivers tasks through the real Redis broker to a real worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import redis
from django.conf import settings

from geo_klik.ops import tasks

ROOT = Path(__file__).resolve().parents[2]


def test_it_runs_the_heartbeat_task_in_process() -> None:
    before = time.time()
    assert tasks.record_heartbeat() >= before
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert float(client.get(tasks.HEARTBEAT_KEY) or 0) >= before
    assert 0 < (client.ttl(tasks.HEARTBEAT_KEY) or 0) <= 600


def test_it_delivers_a_task_to_a_worker_through_redis() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(tasks.HEARTBEAT_KEY)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "geo_klik",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": settings.REDIS_URL},
    )
    try:
        tasks.record_heartbeat.delay()
        deadline = time.monotonic() + 60
        while client.get(tasks.HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            assert worker.poll() is None, "the worker died"
            time.sleep(0.1)
        assert client.get(tasks.HEARTBEAT_KEY) is not None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
