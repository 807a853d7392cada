"""Accepted-to-on-the-console latency: 200 reports sent at 20 per second, a console connected.

The system runs as in `make run` (uvicorn and a Celery worker). A console client logs in as an
operator, listens to `/api/staff/events/` (server-sent events) and, on each change, re-reads
the queue `/api/staff/reports/`, as the console page does. The latency of a report is from the
201 of its `POST /api/reports/` to the moment its tracking code is first in the console's queue.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from bench import common
from bench.intake_http import LAT0, LAT1, LON0, LON1, start_server, start_worker
from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.ops import stack
from geo_klik.reports.models import Report

N = 200
RATE_PER_S = 20
USERNAME = "bench-console-operator"


def operator_session() -> str:
    get_user_model().objects.filter(username=USERNAME).delete()
    user = account_actions.create_staff_user(
        USERNAME, role=roles.OPERATOR, password=uuid.uuid4().hex
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)  # type: ignore[arg-type]  # the stubs want auth.User
    return str(client.cookies["sessionid"].value)


class Console(threading.Thread):
    """Listens to the event stream and records when each tracking code first shows."""

    def __init__(self, port: int, session: str) -> None:
        super().__init__(daemon=True)
        self.port, self.headers = port, {"Cookie": f"sessionid={session}"}
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self.ready = threading.Event()

    def read_queue(self, conn: http.client.HTTPConnection) -> None:
        conn.request("GET", "/api/staff/reports/", headers=self.headers)
        response = conn.getresponse()
        rows = json.loads(response.read())["results"]
        now = time.monotonic()
        for row in rows:
            self.seen.setdefault(row["tracking_code"], now)

    def run(self) -> None:
        stream = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        stream.request("GET", "/api/staff/events/", headers=self.headers)
        response = stream.getresponse()
        assert response.status == 200, response.status
        queue = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.read_queue(queue)
        self.ready.set()
        while not self.stop.is_set():
            line = response.fp.readline()
            if not line:
                break
            if line.startswith(b"data:"):
                self.read_queue(queue)


def post_paced(port: int, tag: str) -> dict[str, float]:
    accepted: dict[str, float] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(5)
    start = time.monotonic() + 0.2
    for i in range(N):
        time.sleep(max(0.0, start + i / RATE_PER_S - time.monotonic()))
        body = json.dumps(
            {
                "category": rng.choice(["road_damage", "garbage", "flooding", "fire"]),
                "lat": rng.uniform(LAT0, LAT1),
                "lon": rng.uniform(LON0, LON1),
                "description": f"{tag} {i}",
            }
        )
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        conn.request("POST", "/api/reports/", body, headers)
        response = conn.getresponse()
        data = json.loads(response.read())
        if response.status == 201:
            accepted[data["tracking_code"]] = time.monotonic()
    conn.close()
    return accepted


def run() -> dict[str, Any]:
    # The bench database only: earlier benchmarks' open reports would fill the queue (500 rows
    # by priority then age) ahead of the new ones.
    Report.objects.filter(status__in=Report.OPEN_STATUSES).update(status=Report.Status.CLOSED)
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    session = operator_session()
    port = stack.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    env = {**os.environ, "REPORTS_RATE_LIMIT": "off", "REPORTS_RATE_LIMIT_PER_ADDRESS": "off"}
    server = start_server(port, env)
    worker = start_worker(env, "bench-console")
    console = Console(port, session)
    try:
        time.sleep(3)
        console.start()
        console.ready.wait(30)
        accepted = post_paced(port, f"bench-console-{uuid.uuid4().hex[:6]}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not set(accepted) <= set(console.seen):
            time.sleep(0.1)
    finally:
        console.stop.set()
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)
    latencies = [console.seen[c] - t for c, t in accepted.items() if c in console.seen]
    figures: dict[str, Any] = {
        "sent": N,
        "rate_per_s": RATE_PER_S,
        "accepted": len(accepted),
        "seen_on_console": len(latencies),
    }
    if latencies:
        figures.update(common.summary_ms(latencies))
    common.write_result("console_latency", figures, targets={"p95_ms": 2000})
    return figures
