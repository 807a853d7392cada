"""Heavy reads wait or get 503 + Retry-After when saturated; everything else passes untouched."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from geo_klik import asgi
from geo_klik.lib import backpressure


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a scenario in an event loop of its own thread: another test's loop may be running."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(asyncio.run, scenario()).result(timeout=30)


class SlowApp:
    """An ASGI app whose requests finish only when the test releases them."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started: list[str] = []
        self.fail = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.started.append(scope["path"])
        await self.release.wait()
        if self.fail:
            raise RuntimeError("the view failed")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def limiter(app: SlowApp, **overrides: Any) -> backpressure.HeavyReadLimiter:
    options: dict[str, Any] = {
        "prefixes": ["/api/map/", "/peta/"],
        "limit": 1,
        "max_waiting": 1,
        "wait_s": 5.0,
        "retry_after_s": 3,
    }
    options.update(overrides)
    return backpressure.HeavyReadLimiter(app, **options)


async def call(app: Any, path: str, *, method: str = "GET", kind: str = "http") -> dict[str, Any]:
    """Run one request; its status, headers and body."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": kind, "method": method, "path": path}, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": start["status"], "headers": dict(start["headers"]), "body": body}


def test_it_lets_a_waiting_heavy_read_in_when_a_slot_frees() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        app = limiter(inner)
        first = asyncio.create_task(call(app, "/api/map/reports.geojson"))
        second = asyncio.create_task(call(app, "/peta/"))
        await asyncio.sleep(0.05)
        assert inner.started == ["/api/map/reports.geojson"]  # the second waits its turn
        assert (app.in_flight, app.waiting) == (1, 1)
        inner.release.set()
        assert (await first)["status"] == 200
        assert (await second)["status"] == 200
        assert inner.started == ["/api/map/reports.geojson", "/peta/"]
        assert (app.in_flight, app.waiting, app.refused) == (0, 0, 0)

    run(scenario)


def test_it_answers_503_with_retry_after_when_the_queue_is_full() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        app = limiter(inner)
        running = [asyncio.create_task(call(app, "/peta/")) for _ in range(2)]
        await asyncio.sleep(0.05)
        refused = await asyncio.wait_for(call(app, "/api/map/reports.geojson"), timeout=1)
        assert refused["status"] == 503
        assert refused["headers"][b"retry-after"] == b"3"
        assert refused["headers"][b"cache-control"] == b"no-store"
        (error,) = json.loads(refused["body"])["errors"]
        assert error["code"] == "busy" and error["field"] is None
        assert "3 detik" in error["message"] and "3 seconds" in error["message_en"]
        assert app.refused == 1 and "/api/map/reports.geojson" not in inner.started
        inner.release.set()
        assert [(await task)["status"] for task in running] == [200, 200]

    run(scenario)


def test_it_answers_503_when_the_wait_runs_out() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        app = limiter(inner, wait_s=0.05)
        running = asyncio.create_task(call(app, "/peta/"))
        await asyncio.sleep(0.01)
        assert (await call(app, "/peta/"))["status"] == 503
        assert app.waiting == 0  # the one that gave up left the queue
        inner.release.set()
        assert (await running)["status"] == 200
        assert (await call(app, "/peta/"))["status"] == 200  # and the slot is free again

    run(scenario)


def test_it_never_holds_back_intake_simple_reads_or_lookalike_paths() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        app = limiter(inner, max_waiting=0)
        blocking = asyncio.create_task(call(app, "/peta/"))
        await asyncio.sleep(0.01)
        assert (await call(app, "/peta/"))["status"] == 503  # saturated for heavy reads
        passing = [
            asyncio.create_task(call(app, path, method=method))
            for path, method in [
                ("/api/reports/", "POST"),  # intake
                ("/healthz", "GET"),
                ("/api/boundaries/lookup", "GET"),
                ("/api/mapping", "GET"),  # not under /api/map/
                ("/petak/", "GET"),  # not under /peta/
                ("/peta/", "POST"),  # a write is never a heavy read
                ("/api/map/reports.geojson", "OPTIONS"),
            ]
        ]
        await asyncio.sleep(0.05)
        assert len(inner.started) == 8  # the blocking read and all seven above are running
        inner.release.set()
        assert [(await task)["status"] for task in passing] == [200] * 7
        assert (await blocking)["status"] == 200

    run(scenario)


def test_it_passes_websockets_and_lifespan_through() -> None:
    async def scenario() -> None:
        seen: list[str] = []

        async def inner(scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["type"])

        app = backpressure.HeavyReadLimiter(
            inner, prefixes=["/peta/"], limit=1, max_waiting=0, wait_s=0, retry_after_s=1
        )
        for kind in ("websocket", "lifespan"):
            await app({"type": kind, "path": "/peta/"}, None, None)  # type: ignore[arg-type]
        assert seen == ["websocket", "lifespan"]

    run(scenario)


def test_it_frees_the_slot_when_the_view_fails() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        inner.fail = True
        inner.release.set()
        app = limiter(inner, max_waiting=0)
        with pytest.raises(RuntimeError):
            await call(app, "/peta/")
        assert app.in_flight == 0
        inner.fail = False
        assert (await call(app, "/peta/"))["status"] == 200

    run(scenario)


@pytest.mark.parametrize(
    "overrides",
    [{"limit": 0}, {"max_waiting": -1}, {"wait_s": -1.0}, {"retry_after_s": 0}],
)
def test_it_refuses_a_nonsense_configuration(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        limiter(SlowApp(), **overrides)


def test_it_ignores_prefixes_that_are_not_paths() -> None:
    """A stray "" or "peta" in HEAVY_READ_PATHS must not make every request heavy."""

    async def scenario() -> None:
        inner = SlowApp()
        inner.release.set()
        app = limiter(inner, prefixes=["", "peta", "*"], max_waiting=0)
        assert app.prefixes == ()
        assert not app.is_heavy({"type": "http", "method": "GET", "path": "/peta/"})
        assert (await call(app, "/peta/"))["status"] == 200

    run(scenario)


def test_it_wraps_the_served_application_with_the_settings() -> None:
    from django.conf import settings

    app = asgi.application
    assert isinstance(app, backpressure.HeavyReadLimiter)
    assert app.prefixes == tuple(settings.HEAVY_READ_PATHS)
    assert app.limit == settings.HEAVY_READ_CONCURRENCY
    assert app.app is asgi.django_application
