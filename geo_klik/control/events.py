"""Server-sent events for the console: ``GET /api/staff/events/`` says when something changed.

The stream carries no report data, only *what* changed (reports, units, notifications); the
console then re-reads the staff API, which applies its own permissions. Changes are pushed by
PostgreSQL (``live``: triggers NOTIFY on commit, one LISTEN per process fans them out), so an
open console costs the database nothing between changes, and every writer (web, Celery workers,
the admin) is seen without a publish step that could be forgotten or lost while Redis is down.

A stream opens with ``event: ready``, on which the console reads everything: a console that
reconnects (its stream ended after ``LIFETIME_S``, the network dropped, the server restarted)
catches up that way, so ``Last-Event-ID`` needs no replay; a listener that lost PostgreSQL tells
every stream that everything changed once it is back.

Under WSGI (gunicorn's threads as `make run` serves, pytest-django's live server) the stream is
a sync generator: an open console holds one thread (settings.WEB_THREADS says how many a
process has) and no database connection. Under uvicorn (ASGI) it is an async generator, so an
open console costs no thread; Django would buffer an async iterator to the end under WSGI.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

from geo_klik.accounts import roles
from geo_klik.control import live
from geo_klik.control.live import Scope

HEARTBEAT_S = 15.0
# A stream ends after this long and the browser reconnects (``retry``): connections recycle.
LIFETIME_S = 300.0
RETRY_MS = 1000
# How long a new stream waits for its process's listener to be listening before it says ready.
LISTENING_WAIT_S = 5.0
# At most one message per stream this often: under a surge a console re-reads its queue a few
# times a second, not once per report (each re-read is an API request).
MIN_GAP_S = 0.25
# Under WSGI only a failed write tells that the browser has gone: a beat this often frees the
# thread of a closed console.
SYNC_BEAT_S = 1.0

# Streams being served by this process right now (for tests and the curious).
open_streams = 0


def scope_of(user: Any) -> Scope | None:
    """The scope of a staff user; None for anyone who may not open the console."""
    if not user.is_authenticated or not roles.has_any(user, tuple(roles.WORKING)):
        return None
    if roles.is_city_wide(user):
        return Scope(city_wide=True, agency_id=0)
    return Scope(city_wide=False, agency_id=roles.agency_id_of(user) or 0)


def message(kinds: list[str], serial: int, positions: list[live.Position] | None = None) -> str:
    """One SSE message: ``event: change`` with the list of what changed, and the units' new
    positions ``[[unit id, lat, lon, epoch s], ...]`` when units moved."""
    data: dict[str, object] = {"changed": kinds}
    if positions:
        data["positions"] = [list(p) for p in positions]
    return f"id: {serial}\nevent: change\ndata: {json.dumps(data)}\n\n"


def _opening() -> str:
    return f"retry: {RETRY_MS}\nevent: ready\ndata: {{}}\n\n"


class Ticker:
    """The state of one stream: its subscription, the message counter, the clock."""

    def __init__(
        self, subscription: live.Subscription, *, lifetime_s: float, heartbeat_s: float
    ) -> None:
        self.subscription = subscription
        self.serial = 0
        self.started = self.beat = self.sent = time.monotonic()
        self.lifetime_s = lifetime_s
        self.heartbeat_s = heartbeat_s

    def alive(self) -> bool:
        return time.monotonic() - self.started < self.lifetime_s

    def next_wait_s(self) -> float:
        now = time.monotonic()
        return max(0.0, min(self.beat + self.heartbeat_s, self.started + self.lifetime_s) - now)

    def gap_s(self) -> float:
        """How long to hold a change back so messages stay MIN_GAP_S apart."""
        if not self.serial:
            return 0.0
        return max(0.0, self.sent + MIN_GAP_S - time.monotonic())

    def step(self) -> str | None:
        """The text to send now (what changed, or a heartbeat when due), or None."""
        kinds, positions = self.subscription.take_with_positions()
        if kinds:
            self.serial += 1
            self.beat = self.sent = time.monotonic()
            return message(kinds, self.serial, positions)
        if time.monotonic() - self.beat >= self.heartbeat_s:
            self.beat = time.monotonic()
            return ": heartbeat\n\n"
        return None


def sync_stream(
    scope: Scope, *, lifetime_s: float | None = None, wanted: frozenset[str] | None = None
) -> Iterator[str]:
    global open_streams
    open_streams += 1
    subscription = live.subscribe(scope, None, wanted)
    ticker = Ticker(
        subscription,
        lifetime_s=LIFETIME_S if lifetime_s is None else lifetime_s,
        heartbeat_s=min(HEARTBEAT_S, SYNC_BEAT_S),
    )
    try:
        live.listener().listening.wait(LISTENING_WAIT_S)
        yield _opening()
        while ticker.alive():
            subscription.wait(ticker.next_wait_s())
            time.sleep(ticker.gap_s())
            text = ticker.step()
            if text:
                yield text
    finally:
        live.unsubscribe(subscription)
        open_streams -= 1


async def async_stream(
    scope: Scope, *, lifetime_s: float | None = None, wanted: frozenset[str] | None = None
) -> AsyncIterator[str]:
    global open_streams
    open_streams += 1
    # Made here, in the event loop that serves the stream (the view itself runs in a thread).
    subscription = live.subscribe(scope, asyncio.get_running_loop(), wanted)
    ticker = Ticker(
        subscription,
        lifetime_s=LIFETIME_S if lifetime_s is None else lifetime_s,
        heartbeat_s=HEARTBEAT_S,
    )
    try:
        listening = live.listener().listening
        deadline = time.monotonic() + LISTENING_WAIT_S
        while not listening.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        yield _opening()
        while ticker.alive():
            await subscription.wait_async(ticker.next_wait_s())
            await asyncio.sleep(ticker.gap_s())
            text = ticker.step()
            if text:
                yield text
    finally:
        live.unsubscribe(subscription)
        open_streams -= 1


def wanted_kinds(raw: str | None) -> frozenset[str] | Literal[False] | None:
    """``?kinds=reports,units``: only those kinds (None: all); False when it names others."""
    if raw is None:
        return None
    kinds = frozenset(k.strip() for k in raw[:200].split(","))
    if not kinds or not kinds <= set(live.KINDS):
        return False
    return kinds


def stream(request: HttpRequest) -> HttpResponseBase:
    """GET /api/staff/events/: the change stream of the user's scope (session login)."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    scope = scope_of(request.user)
    if scope is None:
        status = 403 if request.user.is_authenticated else 401
        return HttpResponse(
            "Tidak diizinkan. / Not allowed.", status=status, content_type="text/plain"
        )
    if not isinstance(request, ASGIRequest) and open_streams >= settings.WEB_STREAMS_PER_PROCESS:
        # Under gunicorn a stream holds one of the process's threads for minutes: past this
        # many, the rest stay for intake and the consoles' reads. The console polls instead
        # (every 2 s) and the officer's phone re-reads its inbox when it is opened.
        return HttpResponse(
            "Terlalu banyak koneksi langsung; halaman diperbarui berkala. / "
            "Too many live connections; the page updates periodically instead.",
            status=503,
            content_type="text/plain",
            headers={"Retry-After": str(int(LIFETIME_S))},
        )
    wanted = wanted_kinds(request.GET.get("kinds"))
    if wanted is False:
        return HttpResponse(
            "kinds: reports, units, notifications, positions (dipisah koma / comma-separated).",
            status=400,
            content_type="text/plain",
        )
    # GZipMiddleware would hold each small message in its compressor until kilobytes pile up:
    # a stream must go out as written, so it is never compressed.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    # The user and the scope are known now. Django gives a request's PostgreSQL connection back
    # only when the response ends, which for a stream is minutes away: 50 open consoles held 50
    # connections. (Inside a transaction, e.g. a test's, the connection is not ours to close.)
    if not connection.in_atomic_block:
        connection.close()
    content = (
        async_stream(scope, wanted=wanted)
        if isinstance(request, ASGIRequest)
        else sync_stream(scope, wanted=wanted)
    )
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each message on at once
    return response
