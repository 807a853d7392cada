"""PgBouncer in session mode: requests through it, sessions reset between clients, outages.

`make test` runs the suite on PostgreSQL itself (DATABASE_URL) and names the stack's PgBouncer in
DATABASE_POOLED_URL; these tests send requests and sessions through it, on the test database.
"""

from __future__ import annotations

import os
import select
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.db import connection, transaction
from django.test import Client
from pytest_django.fixtures import Settings

import stack.pgbouncer
from geo_klik.celery import app as celery_app
from geo_klik.reports.models import Category
from tests.conftest import TinyCity, closed_port
from tests.reports.conftest import TINY_LAT, TINY_LON, post_json, report_body

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_POOLED_URL"),
    reason="no PgBouncer: DATABASE_URL names a server of its own (`make test` on the private "
    "stack, or DATABASE_POOLER=pgbouncer, runs these)",
)


def pooled(database: str) -> str:
    """The stack's PgBouncer, on ``database``."""
    parts = urlsplit(os.environ["DATABASE_POOLED_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


def direct(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


def admin(sql: str) -> list[tuple[Any, ...]]:
    """A command on PgBouncer's admin console (SHOW SERVERS, RECONNECT ...)."""
    conn = psycopg2.connect(pooled("pgbouncer"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall()) if cursor.description else []
    finally:
        conn.close()


def one(cursor: Any) -> tuple[Any, ...]:
    row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def servers_of(database: str) -> list[tuple[Any, ...]]:
    return [row for row in admin("SHOW SERVERS") if row[2] == database]


@pytest.fixture
def test_database(transactional_db: None) -> Iterator[str]:
    """The test database's name; its pooled server connections are closed afterwards.

    Otherwise PgBouncer would keep idle sessions on it, and `pytest --create-db` could not drop it.
    """
    name = str(connection.settings_dict["NAME"])
    yield name
    admin(f'RECONNECT "{name}"')


@pytest.fixture
def through_pgbouncer(test_database: str) -> Iterator[str]:
    """Django's default connection goes through PgBouncer for the test's duration."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("HOST", "PORT", "USER", "PASSWORD")}
    parts = urlsplit(os.environ["DATABASE_POOLED_URL"])
    connection.close()
    settings_dict.update(
        HOST=parts.hostname, PORT=str(parts.port), USER=parts.username, PASSWORD=parts.password
    )
    try:
        yield test_database
    finally:
        connection.close()
        settings_dict.update(saved)


@pytest.fixture
def garbage(tiny_city: TinyCity, settings: Settings) -> Iterator[Category]:
    """The category report_body() names, no rate limit; the routing tasks queued are purged."""
    settings.REPORTS_RATE_LIMIT = ""
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = ""
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = ""
    yield Category.objects.create(code="garbage", name_id="Sampah", name_en="Garbage")
    celery_app.control.purge()


def test_it_serves_report_intake_through_pgbouncer_on_one_kept_session(
    through_pgbouncer: str, garbage: Category
) -> None:
    tracking_codes = []
    for _ in range(3):
        response = post_json(Client(), report_body(), key=uuid.uuid4())
        assert response.status_code == 201, response.json()
        tracking_codes.append(response.json()["tracking_code"])
        connection.close()  # as at the end of every request under ASGI
    public = Client().get(f"/api/reports/{tracking_codes[0]}/")
    assert public.status_code == 200
    connection.close()
    # PgBouncer kept one PostgreSQL session for all of them, idle now, and nothing else.
    sessions = servers_of(through_pgbouncer)
    assert len(sessions) == 1, sessions
    assert sessions[0][3] in {"idle", "tested", "used"}
    # Committed on the server: read back past the pooler.
    conn = psycopg2.connect(direct(through_pgbouncer))
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tracking_code, ST_Y(location), ST_X(location) FROM reports_report"
                " WHERE tracking_code = ANY(%s)",
                [tracking_codes],
            )
            rows = cursor.fetchall()
    finally:
        conn.close()
    assert sorted(rows) == sorted((code, TINY_LAT, TINY_LON) for code in tracking_codes)


def test_it_keeps_what_a_session_offers_through_the_pooler(
    through_pgbouncer: str, garbage: Category
) -> None:
    """Session pooling: what transaction pooling breaks works within one Django connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
        # An advisory lock taken in one transaction is still held in the next ones.
        cursor.execute("SELECT pg_try_advisory_lock(4242)")
        assert cursor.fetchone() == (True,)
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s", [pid]
        )
        assert cursor.fetchone() == (1,)
        # SET LOCAL lasts its transaction; SET the session.
        with transaction.atomic():
            cursor.execute("SET LOCAL statement_timeout = '1234ms'")
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone() == ("1234ms",)
        cursor.execute("SET work_mem = '7MB'")
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == ("7MB",)
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone() == (pid,)
    # A server-side cursor (iterator with chunk_size) read across several fetches.
    Category.objects.bulk_create(
        Category(code=f"extra-{n}", name_id=f"Lain {n}", name_en=f"Other {n}") for n in range(5)
    )
    codes = [c.code for c in Category.objects.order_by("code").iterator(chunk_size=2)]
    assert codes == sorted(["garbage", *(f"extra-{n}" for n in range(5))])


def test_it_delivers_listen_notify_through_the_pooler(test_database: str) -> None:
    listener = psycopg2.connect(pooled(test_database))
    listener.autocommit = True
    try:
        with listener.cursor() as cursor:
            cursor.execute("LISTEN geo_klik_pgbouncer_test")
        notifier = psycopg2.connect(pooled(test_database))
        notifier.autocommit = True
        with notifier.cursor() as cursor:
            cursor.execute("SELECT pg_notify('geo_klik_pgbouncer_test', 'halo')")
        notifier.close()
        deadline = time.monotonic() + 10
        while not listener.notifies and time.monotonic() < deadline:
            select.select([listener], [], [], 0.5)
            listener.poll()
        assert [n.payload for n in listener.notifies] == ["halo"]
    finally:
        listener.close()


def test_it_resets_the_session_before_the_next_client(test_database: str) -> None:
    """DISCARD ALL: the next client on the same PostgreSQL session inherits nothing."""
    admin(f'RECONNECT "{test_database}"')  # one fresh session, so both clients get it
    first = psycopg2.connect(pooled(test_database))
    first.autocommit = True
    with first.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = one(cursor)
        cursor.execute("SET work_mem = '7MB'")
        cursor.execute("CREATE TEMP TABLE left_behind (n int)")
        cursor.execute("SELECT pg_advisory_lock(4243)")
        cursor.execute("PREPARE left_plan AS SELECT 1")
    first.close()

    second = psycopg2.connect(pooled(test_database))
    second.autocommit = True
    try:
        with second.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone() == (pid,), "PgBouncer gave the session it kept"
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone() != ("7MB",)
            cursor.execute("SELECT to_regclass('pg_temp.left_behind')")
            assert cursor.fetchone() == (None,)
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            assert cursor.fetchone() == (0,)
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone() == (0,)
    finally:
        second.close()


def test_it_drops_the_session_of_a_client_gone_mid_transaction(test_database: str) -> None:
    """A client that disconnects inside a transaction never hands it to the next one."""
    admin(f'RECONNECT "{test_database}"')
    first = psycopg2.connect(pooled(test_database))
    with first.cursor() as cursor:  # psycopg2 opens a transaction: left open
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = one(cursor)
        cursor.execute("CREATE TABLE half_done (n int)")
    first.close()
    second = psycopg2.connect(pooled(test_database))
    try:
        with second.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), to_regclass('half_done')")
            other_pid, table = one(cursor)
        assert other_pid != pid and table is None
    finally:
        second.close()


@pytest.fixture
def pgbouncer_before_a_dead_server(tmp_path: Path, transactional_db: None) -> Iterator[int]:
    """A PgBouncer of its own in front of a closed port: PostgreSQL down, the pooler up."""
    bouncer = stack.pgbouncer.PrivatePgBouncer(tmp_path / "var")
    upstream = stack.pgbouncer.Upstream("127.0.0.1", closed_port(), "postgres")
    port = bouncer.start(upstream)
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("HOST", "PORT", "USER", "PASSWORD")}
    connection.close()
    settings_dict.update(HOST="127.0.0.1", PORT=str(port), USER="postgres", PASSWORD="")
    try:
        yield port
    finally:
        connection.close()
        settings_dict.update(saved)
        bouncer.stop()
        if bouncer.dir.is_symlink():
            shutil.rmtree(bouncer.home.parent, ignore_errors=True)


def test_it_answers_503_when_postgresql_is_down_behind_pgbouncer(
    pgbouncer_before_a_dead_server: int,
) -> None:
    """PgBouncer is up but cannot log in: the request fails as a JSON 503, not a hang or a 500.

    The first client waits for a server up to query_wait_timeout; later ones are refused at once
    while logins keep failing (server_login_retry).
    """
    for _ in range(2):
        response = post_json(Client(), report_body(), key=uuid.uuid4())
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert response.json()["errors"][0]["code"] == "database_unavailable"
        connection.close()
    assert Client().get("/api/categories/").status_code == 503
