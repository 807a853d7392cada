"""Backpressure on heavy reads, so a crowd opening the public map never starves report intake.

A middleware in front of Django, for WSGI (``ThreadedHeavyReadLimiter``, gunicorn's threads as
`make run` serves) and for ASGI (``HeavyReadLimiter``, uvicorn): GET/HEAD requests under one of
the configured path prefixes (maps, feeds, exports) run at most ``limit`` at a time in each web
process; up to ``max_waiting`` more wait for at most ``wait_s``; beyond that they get an
immediate 503 with Retry-After. Everything else (report intake, simple reads such as /healthz,
the console) passes untouched, so it keeps the threads, database connections and CPU the heavy
reads are not allowed to take.

Chosen over a second pool of web processes for heavy reads: routing by path to another process
needs a proxy in front, and a bound on concurrency is what keeps intake's CPU share whatever
the heavy endpoints cost; their caching (ETag, Cache-Control) lives with them.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_READ_METHODS = frozenset({"GET", "HEAD"})


class _Bounds:
    """What both limiters count and how far: checked once, here."""

    def __init__(
        self,
        *,
        prefixes: Sequence[str],
        limit: int,
        max_waiting: int,
        wait_s: float,
        retry_after_s: int,
    ) -> None:
        if limit < 1 or max_waiting < 0 or wait_s < 0 or retry_after_s < 1:
            raise ValueError("limit >= 1, max_waiting >= 0, wait_s >= 0, retry_after_s >= 1")
        self.prefixes = tuple(p for p in prefixes if p.startswith("/"))
        self.limit = limit
        self.max_waiting = max_waiting
        self.wait_s = wait_s
        self.retry_after_s = retry_after_s
        self.in_flight = 0
        self.waiting = 0
        self.refused = 0


class HeavyReadLimiter(_Bounds):
    """Bound the heavy reads in flight in this process; 503 + Retry-After when saturated."""

    def __init__(self, app: ASGIApp, **bounds: Any) -> None:
        super().__init__(**bounds)
        self.app = app
        self._freed: asyncio.Condition | None = None  # made in the server's event loop

    def is_heavy(self, scope: Scope) -> bool:
        return (
            scope.get("type") == "http"
            and scope.get("method") in _READ_METHODS
            and str(scope.get("path", "")).startswith(self.prefixes)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.prefixes or not self.is_heavy(scope):
            await self.app(scope, receive, send)
            return
        if not await self.admit():
            self.refused += 1
            await self.refuse(send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            await self.leave()

    async def admit(self) -> bool:
        """True once a slot is ours; False if the queue is full or the wait ran out."""
        if self.in_flight < self.limit and not self.waiting:
            self.in_flight += 1  # no await since the check: the event loop is ours alone
            return True
        if self.waiting >= self.max_waiting or self.wait_s == 0:
            return False
        freed = self._condition()
        self.waiting += 1
        try:
            async with freed:
                await asyncio.wait_for(
                    freed.wait_for(lambda: self.in_flight < self.limit), timeout=self.wait_s
                )
                self.in_flight += 1
                return True
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1

    async def leave(self) -> None:
        self.in_flight -= 1
        freed = self._condition()
        async with freed:
            freed.notify_all()  # one that timed out meanwhile must not swallow the wake-up

    def _condition(self) -> asyncio.Condition:
        if self._freed is None:
            self._freed = asyncio.Condition()
        return self._freed

    async def refuse(self, send: Send) -> None:
        """The bilingual 503 every API answers, with Retry-After, before Django runs at all."""
        body = busy_body(self.retry_after_s)
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (name.lower().encode("ascii"), value.encode("ascii"))
                    for name, value in busy_headers(body, self.retry_after_s)
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def busy_body(wait: int) -> bytes:
    return json.dumps(
        {
            "errors": [
                {
                    "field": None,
                    "code": "busy",
                    "message": "Server sedang sibuk melayani peta dan data; coba lagi dalam "
                    f"{wait} detik. Pengiriman laporan tidak terpengaruh.",
                    "message_en": "The server is busy serving maps and data; try again in "
                    f"{wait} seconds. Report submission is not affected.",
                }
            ]
        },
        ensure_ascii=False,
    ).encode("utf-8")


def busy_headers(body: bytes, wait: int) -> list[tuple[str, str]]:
    return [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Retry-After", str(wait)),
        ("Cache-Control", "no-store"),
    ]


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Released:
    """A WSGI response that gives its slot back when the server closes it (PEP 3333)."""

    def __init__(self, response: Iterable[bytes], release: Callable[[], None]) -> None:
        self.response = response
        self.release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            close = getattr(self.response, "close", None)
            if close is not None:
                close()
        finally:
            self.release()


class ThreadedHeavyReadLimiter(_Bounds):
    """The same bound in front of a threaded WSGI server (gunicorn's gthread workers).

    Here a waiting request holds one of the process's threads, so the queue is kept short
    (``max_waiting``: a quarter of the threads in ``geo_klik/wsgi.py``): the rest are refused
    at once and the threads stay with report intake and the simple reads.
    """

    def __init__(self, app: WSGIApp, **bounds: Any) -> None:
        super().__init__(**bounds)
        self.app = app
        self._freed = threading.Condition()

    def is_heavy(self, environ: dict[str, Any]) -> bool:
        return environ.get("REQUEST_METHOD") in _READ_METHODS and str(
            environ.get("PATH_INFO", "")
        ).startswith(self.prefixes)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if not self.prefixes or not self.is_heavy(environ):
            return self.app(environ, start_response)
        if not self.admit():
            with self._freed:
                self.refused += 1
            body = busy_body(self.retry_after_s)
            start_response("503 Service Unavailable", busy_headers(body, self.retry_after_s))
            return [body]
        try:
            response = self.app(environ, start_response)
        except BaseException:
            self.leave()
            raise
        return _Released(response, self.leave)

    def admit(self) -> bool:
        """True once a slot is ours; False if the queue is full or the wait ran out."""
        with self._freed:
            if self.in_flight < self.limit and not self.waiting:
                self.in_flight += 1
                return True
            if self.waiting >= self.max_waiting or self.wait_s == 0:
                return False
            self.waiting += 1
            try:
                if not self._freed.wait_for(lambda: self.in_flight < self.limit, self.wait_s):
                    return False
                self.in_flight += 1
                return True
            finally:
                self.waiting -= 1

    def leave(self) -> None:
        with self._freed:
            self.in_flight -= 1
            self._freed.notify()
