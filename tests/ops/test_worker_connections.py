"""Celery worker processes keep their PostgreSQL connection across tasks, and drop a dead one."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection, connections

from geo_klik import celery
from tests.ops.test_settings import load_settings


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def task_boundary() -> None:
    """What the worker does between two tasks."""
    worker_task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    celery.close_old_database_connections(task=worker_task)


@pytest.fixture
def worker_settings() -> Iterator[None]:
    before = {alias: db.get("CONN_MAX_AGE") for alias, db in settings.DATABASES.items()}
    celery.keep_database_connections()
    connection.close()  # the next connection is opened with the worker's settings
    yield
    for alias, age in before.items():
        settings.DATABASES[alias]["CONN_MAX_AGE"] = age
    connection.close()


def test_it_says_celery_not_to_close_the_connection_after_every_task() -> None:
    assert celery.app.conf.get("CELERY_DB_REUSE_MAX")
    assert settings.WORKER_DATABASE_CONN_MAX_AGE > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_settings")
def test_it_keeps_the_connection_from_one_task_to_the_next() -> None:
    first = backend_pid()
    task_boundary()
    assert backend_pid() == first


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_settings")
def test_it_replaces_a_connection_postgresql_dropped_before_the_next_task() -> None:
    first = backend_pid()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    finally:
        other.close()
    task_boundary()
    assert backend_pid() != first  # health-checked, reconnected, no error for the task


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_settings")
def test_it_closes_a_connection_older_than_the_limit() -> None:
    first = backend_pid()
    connection.close_at = 0  # as if WORKER_DATABASE_CONN_MAX_AGE had passed
    task_boundary()
    assert backend_pid() != first


def test_it_leaves_the_connection_of_a_task_run_in_its_callers_process(db: None) -> None:
    # Inside the test's transaction: closing the connection would break the caller.
    first = backend_pid()
    eager = SimpleNamespace(request=SimpleNamespace(is_eager=True))
    celery.close_old_database_connections(task=eager)
    assert backend_pid() == first


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WORKER_DATABASE_CONN_MAX_AGE", "forever"),
        ("WORKER_DATABASE_CONN_MAX_AGE", "-5"),
        ("DATABASE_DIRECT_URL", "mysql://localhost/geo_klik"),
        ("DATABASE_DIRECT_URL", "postgres://localhost:notaport/geo_klik"),
        ("DATABASE_DIRECT_URL", "postgres://localhost:5432/"),
    ],
)
def test_it_refuses_to_start_with_a_malformed_variable(name: str, value: str) -> None:
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert f"Environment variable {name}=" in result.stderr


def test_it_starts_with_a_direct_database_url() -> None:
    result = load_settings(DATABASE_DIRECT_URL="postgres://app:pw@10.0.0.5:5432/geo_klik")
    assert result.returncode == 0, result.stderr
