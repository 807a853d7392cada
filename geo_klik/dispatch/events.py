"""Server-sent events for the console: ``GET /api/staff/events/`` says when something changed.

The stream carries no report data, only *what* changed (reports, units, notifications); the
console then re-reads the staff API, which applies its own permissions. The source is the
database itself, read every ``POLL_S`` seconds: cheap (three aggregate queries on indexed
columns), and it sees every writer (web, Celery workers, the admin) without a publish step that
could be forgotten or lost while Redis is down.

Under uvicorn (ASGI) the stream is an async generator, so an open console costs no thread;
under WSGI (pytest-django's live server, ``runserver``) Django would buffer an async iterator
to the end, which never comes, so a sync generator serves it there.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError, connection
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

from geo_klik.accounts import roles
from geo_klik.dispatch.models import Assignment, Notification, Unit
from geo_klik.reports.models import Report, ReportEvent

POLL_S = 0.5
HEARTBEAT_S = 15.0
# A stream ends after this long and the browser reconnects (``retry``): connections recycle.
LIFETIME_S = 300.0
RETRY_MS = 1000

# Streams being served by this process right now (for tests and the curious).
open_streams = 0


@dataclass(frozen=True)
class Scope:
    """Whose changes a stream watches: every agency's, or one agency's."""

    city_wide: bool
    agency_id: int  # 0 when city-wide


def scope_of(user: Any) -> Scope | None:
    """The scope of a staff user; None for anyone who may not open the console."""
    if not user.is_authenticated or not roles.has_any(user, tuple(roles.WORKING)):
        return None
    if roles.is_city_wide(user):
        return Scope(city_wide=True, agency_id=0)
    return Scope(city_wide=False, agency_id=roles.agency_id_of(user) or 0)


def signature(scope: Scope) -> dict[str, list[Any]]:
    """Markers that change whenever a report, unit or notification the scope sees changes."""
    reports = Report.objects.all()
    events = ReportEvent.objects.all()
    assignments = Assignment.objects.all()
    units = Unit.objects.all()
    notifications = Notification.objects.exclude(state=Notification.State.SENT)
    if not scope.city_wide:
        mine = Assignment.objects.filter(
            report=OuterRef("report_id"), active=True, agency_id=scope.agency_id
        )
        reports = reports.filter(assignments__agency_id=scope.agency_id)
        events = events.filter(Exists(mine))
        assignments = assignments.filter(agency_id=scope.agency_id)
        units = units.filter(agency_id=scope.agency_id)
        notifications = notifications.filter(agency_id=scope.agency_id)
    # Every workflow step writes a ReportEvent; routing and transfers write an Assignment.
    report_marks = [
        reports.aggregate(m=Max("id"))["m"],
        events.aggregate(m=Max("id"))["m"],
        assignments.aggregate(m=Max("id"), n=Count("id", filter=Q(active=True))),
    ]
    unit_marks = units.aggregate(m=Max("updated_at"), n=Count("id"))
    note_marks = notifications.aggregate(m=Max("id"), n=Count("id"), at=Max("last_attempt_at"))
    return {
        "reports": json.loads(json.dumps(report_marks, default=str)),
        "units": json.loads(json.dumps(unit_marks, default=str)),
        "notifications": json.loads(json.dumps(note_marks, default=str)),
    }


def changed(before: dict[str, list[Any]] | None, now: dict[str, list[Any]]) -> list[str]:
    if before is None:
        return []
    return [name for name, marks in now.items() if before.get(name) != marks]


def message(kinds: list[str], serial: int) -> str:
    """One SSE message: ``event: change`` with the list of what changed."""
    return f"id: {serial}\nevent: change\ndata: {json.dumps({'changed': kinds})}\n\n"


def _opening() -> str:
    return f"retry: {RETRY_MS}\nevent: ready\ndata: {{}}\n\n"


class Ticker:
    """The state of one stream: the last signature, the message counter, the clock."""

    def __init__(self, scope: Scope, *, lifetime_s: float, heartbeat_s: float) -> None:
        self.scope = scope
        self.last: dict[str, list[Any]] | None = None
        self.serial = 0
        self.started = self.beat = time.monotonic()
        self.lifetime_s = lifetime_s
        self.heartbeat_s = heartbeat_s

    def alive(self) -> bool:
        return time.monotonic() - self.started < self.lifetime_s

    def step(self) -> str | None:
        """Read the signature; the text to send now, or None."""
        try:
            now = signature(self.scope)
        except DatabaseError:
            # Outside a request nothing recycles this thread's connection: drop a broken one
            # (PostgreSQL restarted) so the next tick reconnects.
            connection.close()
            return None
        kinds = changed(self.last, now)
        self.last = now
        if kinds:
            self.serial += 1
            self.beat = time.monotonic()
            return message(kinds, self.serial)
        if time.monotonic() - self.beat >= self.heartbeat_s:
            self.beat = time.monotonic()
            return ": heartbeat\n\n"
        return None


def sync_stream(ticker: Ticker, *, poll_s: float = POLL_S) -> Iterator[str]:
    global open_streams
    open_streams += 1
    # Under WSGI only a failed write tells that the browser has gone: beat on every tick, so a
    # closed console frees its thread (and stops reading the database) within a second.
    ticker.heartbeat_s = 0
    try:
        yield _opening()
        while ticker.alive():
            text = ticker.step()
            if text:
                yield text
            time.sleep(poll_s)
    finally:
        open_streams -= 1


async def async_stream(ticker: Ticker, *, poll_s: float = POLL_S) -> AsyncIterator[str]:
    global open_streams
    open_streams += 1
    # Not thread-sensitive: the reads must not queue behind every other sync view.
    step = sync_to_async(ticker.step, thread_sensitive=False)
    try:
        yield _opening()
        while ticker.alive():
            text = await step()
            if text:
                yield text
            await asyncio.sleep(poll_s)
    finally:
        open_streams -= 1


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
    # GZipMiddleware would hold each small message in its compressor until kilobytes pile up:
    # a stream must go out as written, so it is never compressed.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    ticker = Ticker(scope, lifetime_s=LIFETIME_S, heartbeat_s=HEARTBEAT_S)
    content = async_stream(ticker) if isinstance(request, ASGIRequest) else sync_stream(ticker)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each message on at once
    return response
