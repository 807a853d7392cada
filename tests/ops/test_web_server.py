"""The web server as `make run` starts it: gunicorn's threads serving geo_klik/wsgi.py.

Started from stack.cli.web_command on the test database, so these are the options production
runs with: the console's event stream is served by a thread and pushed by PostgreSQL, each
thread keeps its database connection across requests, and no client can claim https through a
forwarded header (Django alone reads those, from TRUSTED_PROXIES hops).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

import stack.base
import stack.cli
import stack.supervisor
from geo_klik.reports.models import Report
from tests.dispatch.conftest import (  # noqa: F401 - fixtures
    MakeReport,
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import BARAT, Personas, personas  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
APP_NAME = f"geo_klik_web_test_{os.getpid()}"
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The test database, directly (no PgBouncer): one backend per server connection."""
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def server() -> Iterator[int]:
    port = stack.base.pick_port(Path("/nonexistent-port-file"), 58600)
    command = stack.cli.web_command(host="127.0.0.1", port=port, workers="2", threads="4")
    url = database_url()
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_DIRECT_URL": url}
    env["WEB_KEPT_CONNECTIONS"] = "1"  # of each worker's 4 threads
    env["PGAPPNAME"] = APP_NAME  # libpq names the server's sessions, to count them apart
    process = subprocess.Popen(
        [*command, "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        assert stack.supervisor.wait_until_healthy(port, timeout_s=60), "gunicorn did not start"
        yield port
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def server_backends() -> int:
    """The web server's sessions on the test database, its console listener's left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = %s AND query NOT ILIKE 'LISTEN%%'",
            [APP_NAME],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def test_it_keeps_a_bounded_number_of_connections_across_requests(server: int) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: get(server, "/healthz")[0], range(80)))
    assert statuses == [200] * 80
    # 80 requests 8 at a time on 2 workers x 4 threads, one thread of each worker keeping its
    # connection: still open after the answers (a server connecting per request would show
    # none), and no more than one per worker (every thread keeping one would show up to 8).
    # A thread closes its connection when gunicorn closes the response, just after the client
    # has read it: give those a moment.
    deadline = time.monotonic() + 5
    while server_backends() > 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert 1 <= server_backends() <= 2


def test_it_never_lets_a_client_claim_https_through_a_forwarded_header(server: int) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "X-Forwarded-Port": "443"}
    status, body = get(server, "/open311/v2/discovery.json", headers)
    assert status == 200
    urls = [e["url"] for e in json.loads(body)["endpoints"]]
    assert urls and all(u.startswith(f"http://127.0.0.1:{server}/") for u in urls), urls


def test_it_serves_a_console_stream_from_a_thread_and_pushes_changes(
    server: int,
    personas: Personas,  # noqa: F811
    make_report: MakeReport,  # noqa: F811
) -> None:
    browser = Client()
    browser.force_login(personas.operator)  # type: ignore[arg-type]
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    sock = socket.create_connection(("127.0.0.1", server), timeout=10)
    try:
        request = (
            "GET /api/staff/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        )
        sock.sendall(request.encode("ascii"))
        received = read_until(sock, b"event: ready")
        assert b" 200 " in received.split(b"\r\n", 1)[0]
        assert b"text/event-stream" in received
        # The ready stream holds a thread and no database session.
        report = make_report(BARAT[0], BARAT[1], "road_damage")
        Report.objects.filter(pk=report.pk).update(description="changed under gunicorn")
        assert b"event: change" in read_until(sock, b"event: change")
    finally:
        sock.close()
    # The other threads still answer while a stream was open.
    assert get(server, "/healthz")[0] == 200


def read_until(sock: socket.socket, marker: bytes, *, within_s: float = 10.0) -> bytes:
    data = b""
    deadline = time.monotonic() + within_s
    while marker not in data:
        assert time.monotonic() < deadline, data
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk
    return data
