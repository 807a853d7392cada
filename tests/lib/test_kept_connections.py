"""At most N threads of a web process keep their database connection between requests."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from geo_klik import wsgi
from geo_klik.lib.kept_connections import KeptConnections

pytestmark = pytest.mark.django_db(transaction=True)


def finish_requests_at_once(kept: KeptConnections, threads: int) -> list[bool]:
    """`threads` threads each open a connection, then all finish their request together."""
    opened = threading.Barrier(threads)
    checked = threading.Barrier(threads)
    still_open: list[bool] = []
    lock = threading.Lock()

    def request() -> None:
        connection = connections["default"]
        try:
            connection.ensure_connection()
            opened.wait(10)
            kept.request_finished()
            with lock:
                still_open.append(connection.connection is not None)
            checked.wait(10)
        finally:
            connection.close()

    workers = [threading.Thread(target=request) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    return still_open


def test_only_the_first_threads_up_to_the_limit_keep_theirs() -> None:
    kept = KeptConnections(2)
    assert sorted(finish_requests_at_once(kept, 5)) == [False, False, False, True, True]
    assert len(kept.keepers) == 2


def test_a_keeper_whose_connection_closed_gives_its_place_up() -> None:
    kept = KeptConnections(1)
    connection = connections["default"]
    connection.ensure_connection()
    kept.request_finished()
    assert connection.connection is not None and len(kept.keepers) == 1
    connection.close()  # expired, broken, or closed by a console's event stream
    kept.request_finished()
    assert kept.keepers == set()
    # Another thread may keep its connection now.
    assert finish_requests_at_once(kept, 1) == [True]


def test_no_thread_keeps_one_when_the_limit_is_zero() -> None:
    assert finish_requests_at_once(KeptConnections(0), 3) == [False, False, False]


def test_the_served_application_bounds_its_kept_connections_with_the_setting() -> None:
    from django.conf import settings

    assert wsgi.kept_connections.limit == settings.WEB_KEPT_CONNECTIONS
