"""At most N threads of a web process keep their database connection between requests.

gunicorn's threaded workers (geo_klik/wsgi.py) run each request on one of ``WEB_THREADS``
threads, and Django keeps a thread's connection for ``CONN_MAX_AGE``. Idle threads take the next
request in turn, so over time every thread would hold a PgBouncer session (session pooling: one
PostgreSQL backend each) that only its own next request can free: with more threads than the
pool, requests on the other threads would wait for a session no one gives back. So the first
``limit`` threads to finish a request with an open connection keep it; any other thread closes
its connection when its request ends (connecting again costs a fraction of a millisecond through
PgBouncer). A keeper whose connection was closed (expired, broken, or closed by the console's
event stream) gives its place up.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connections


class KeptConnections:
    def __init__(self, limit: int, alias: str = "default") -> None:
        self.limit = limit
        self.alias = alias
        self.keepers: set[int] = set()
        self._lock = threading.Lock()

    def request_finished(self, **_: Any) -> None:
        """request_finished receiver, connected after Django's own close_old_connections."""
        connection = connections[self.alias]
        me = threading.get_ident()
        with self._lock:
            if connection.connection is None:
                self.keepers.discard(me)
                return
            if me in self.keepers:
                return
            if len(self.keepers) < self.limit:
                self.keepers.add(me)
                return
        connection.close()
