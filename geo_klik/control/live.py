"""What changed, pushed to the consoles: one PostgreSQL LISTEN per process, fanned out.

Triggers (migration 0005_console_notify) send ``NOTIFY geo_klik_console`` with what changed and
for which agencies when a transaction commits. Each web process holds one listening connection
in a thread (``Listener``) and hands each notification to the open console streams whose scope
it concerns (``Subscription``), so the database does the same small work whether 1 or 50
consoles are open. LISTEN needs a session, not a transaction-pooled one: the listener connects
to ``DATABASE_DIRECT_URL`` when set (PgBouncer in front of ``DATABASE_URL``), else to the
default database. When the connection drops (PostgreSQL restarting) it reconnects every
``RECONNECT_S`` and then tells every stream that everything changed, which makes each console
re-read its queue, units and notifications: what happened while it was deaf is caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import select
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
import psycopg2.extensions
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "geo_klik_console"
# "positions": a unit moved and nothing else changed (migration dispatch 0008).
KINDS = ("reports", "units", "notifications", "positions")
# What a stream is told after the listener was deaf: "units" re-reads the units' positions too.
CATCH_UP = ("reports", "units", "notifications")
RECONNECT_S = 1.0
# The listening connection is checked this often while no notification comes (a dead peer).
IDLE_CHECK_S = 5.0


# A unit's move: (unit id, lat, lon, when as epoch seconds).
Position = tuple[int, float, float, float]


@dataclass(frozen=True)
class Scope:
    """Whose changes a stream watches: every agency's, or one agency's."""

    city_wide: bool
    agency_id: int  # 0 when city-wide

    def sees(self, agencies: list[int]) -> bool:
        return self.city_wide or self.agency_id in agencies


class Subscription:
    """One console stream's inbox: the kinds changed since it last looked, and a wake-up."""

    def __init__(
        self,
        scope: Scope,
        loop: asyncio.AbstractEventLoop | None = None,
        wanted: frozenset[str] | None = None,
    ) -> None:
        self.scope = scope
        # The kinds this stream is told of (None: all); an officer's phone wants no moves.
        self.wanted = wanted
        self._kinds: set[str] = set()
        self._positions: dict[int, Position] = {}
        self._lock = threading.Lock()
        self._loop = loop
        self._async_wakeup = asyncio.Event() if loop is not None else None
        self._wakeup = threading.Event()

    def offer(
        self, kinds: list[str], agencies: list[int] | None, position: Position | None = None
    ) -> None:
        """Called by the listener thread; ``agencies`` None means every scope (a catch-up).

        A move carries the unit's new position: the stream hands it on, so a console moves the
        marker without re-reading anything (the latest position of each unit wins).
        """
        if agencies is not None and not self.scope.sees(agencies):
            return
        if self.wanted is not None:
            kinds = [k for k in kinds if k in self.wanted]
            if not kinds:
                return
            if "positions" not in self.wanted:
                position = None
        with self._lock:
            self._kinds.update(kinds)
            if position is not None:
                self._positions[position[0]] = position
        self._wakeup.set()
        if self._loop is not None and self._async_wakeup is not None:
            self._loop.call_soon_threadsafe(self._async_wakeup.set)

    def take(self) -> list[str]:
        """The kinds changed since the last call, sorted; empty if none."""
        return self.take_with_positions()[0]

    def take_with_positions(self) -> tuple[list[str], list[Position]]:
        """The kinds changed and the units' new positions since the last call."""
        with self._lock:
            kinds = sorted(self._kinds)
            positions = sorted(self._positions.values())
            self._kinds.clear()
            self._positions.clear()
            self._wakeup.clear()
            if self._async_wakeup is not None:
                self._async_wakeup.clear()
        return kinds, positions

    def wait(self, timeout_s: float) -> None:
        self._wakeup.wait(timeout_s)

    async def wait_async(self, timeout_s: float) -> None:
        if self._async_wakeup is None:
            raise RuntimeError("subscribed without an event loop")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._async_wakeup.wait(), timeout_s)


def conninfo() -> str:
    """Where to LISTEN: the default database, reached at DATABASE_DIRECT_URL's server when set.

    A NOTIFY reaches only the listeners of its own database, so the database is always the one
    Django writes to (in tests, the test database); DATABASE_DIRECT_URL only says how to reach
    its server without the pooler.
    """
    params = connections["default"].get_connection_params()
    # Django's own keys (the cursor class) are not libpq's.
    params.pop("cursor_factory", None)
    direct = settings.DATABASE_DIRECT
    if direct is not None:
        options = direct.get("OPTIONS")
        server = {
            "user": direct.get("USER"),
            "password": direct.get("PASSWORD"),
            "host": direct.get("HOST"),
            "port": direct.get("PORT"),
            **(options if isinstance(options, dict) else {}),
        }
        for key in ("user", "password", "host", "port", "sslmode"):
            params.pop(key, None)
        params.update({k: v for k, v in server.items() if v})
    return str(psycopg2.extensions.make_dsn(**params))


@contextlib.contextmanager
def session() -> Iterator[psycopg2.extensions.connection]:
    """A connection of its own, in autocommit (LISTEN/NOTIFY act at once), closed after."""
    conn = psycopg2.connect(conninfo(), connect_timeout=5)
    try:
        conn.autocommit = True
        yield conn
    finally:
        conn.close()


def parse(payload: str) -> tuple[str, list[int]] | None:
    """What changed and for which agencies, from a notification's payload."""
    parsed = parse_with_position(payload)
    return None if parsed is None else (parsed[0], parsed[1])


def parse_with_position(payload: str) -> tuple[str, list[int], Position | None] | None:
    """``parse``, and the unit's new position that a "positions" notification carries."""
    try:
        data = json.loads(payload)
        kind, agencies = data["k"], [int(a) for a in data["a"]]
        raw = data.get("p")
        position = None if raw is None else _position(raw)
    except (ValueError, KeyError, TypeError):
        logger.warning("console notification not understood: %r", payload[:200])
        return None
    return (kind, agencies, position) if kind in KINDS else None


def _position(raw: list[object]) -> Position:
    """[unit id, lat, lon, epoch seconds] from a "positions" notification (dispatch 0008)."""
    unit_id, lat, lon, at = raw
    return (int(str(unit_id)), float(str(lat)), float(str(lon)), float(str(at)))


class Listener(threading.Thread):
    """The process's one LISTEN connection, handing notifications to the subscriptions."""

    def __init__(self) -> None:
        super().__init__(name="console-listener", daemon=True)
        self.subscriptions: set[Subscription] = set()
        self.lock = threading.Lock()
        self.listening = threading.Event()
        self.stopping = threading.Event()
        self.connects = 0  # how many times it has (re)connected
        self.backend_pid = 0

    def subscribe(self, subscription: Subscription) -> None:
        with self.lock:
            self.subscriptions.add(subscription)

    def unsubscribe(self, subscription: Subscription) -> None:
        with self.lock:
            self.subscriptions.discard(subscription)

    def publish(
        self, kinds: list[str], agencies: list[int] | None, position: Position | None = None
    ) -> None:
        with self.lock:
            subscriptions = list(self.subscriptions)
        for subscription in subscriptions:
            subscription.offer(kinds, agencies, position)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.listen()
            except (psycopg2.Error, OSError) as exc:
                logger.warning("console listener lost PostgreSQL (%s); reconnecting", exc)
            self.listening.clear()
            self.stopping.wait(RECONNECT_S)

    def listen(self) -> None:
        with session() as conn, conn.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
            self.backend_pid = conn.get_backend_pid()
            self.connects += 1
            self.listening.set()
            if self.connects > 1:
                # Deaf since the connection dropped: every console re-reads everything.
                self.publish(list(CATCH_UP), None)
            while not self.stopping.is_set():
                readable, _, _ = select.select([conn], [], [], IDLE_CHECK_S)
                if not readable:
                    cursor.execute("SELECT 1")  # raises if the server went away silently
                    continue
                conn.poll()
                while conn.notifies:
                    notify = conn.notifies.pop(0)
                    if self.stopping.is_set():
                        return
                    parsed = parse_with_position(notify.payload)
                    if parsed is not None:
                        self.publish([parsed[0]], parsed[1], parsed[2])


_listener: Listener | None = None
_listener_lock = threading.Lock()


def listener() -> Listener:
    """The process's listener, started on first use."""
    global _listener
    with _listener_lock:
        if _listener is None or not _listener.is_alive():
            _listener = Listener()
            _listener.start()
        return _listener


def stop_listener() -> None:
    """Stop the process's listener (tests)."""
    global _listener
    with _listener_lock:
        if _listener is not None:
            _listener.stopping.set()
            with contextlib.suppress(psycopg2.Error), session() as conn, conn.cursor() as cursor:
                cursor.execute(f"NOTIFY {CHANNEL}")  # wakes it up now rather than at its next check
            _listener.join(timeout=IDLE_CHECK_S + 5)
        _listener = None


def subscribe(
    scope: Scope,
    loop: asyncio.AbstractEventLoop | None = None,
    wanted: frozenset[str] | None = None,
) -> Subscription:
    subscription = Subscription(scope, loop, wanted)
    listener().subscribe(subscription)
    return subscription


def unsubscribe(subscription: Subscription) -> None:
    listener().unsubscribe(subscription)
