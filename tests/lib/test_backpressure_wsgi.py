"""The heavy-read bound under gunicorn's threads: the same answers as under ASGI, a short queue."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from geo_klik.lib import backpressure


class SlowApp:
    """A WSGI app whose requests finish only when the test releases them."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started: list[str] = []
        self.closed = 0
        self.fail = False
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self._lock:
            self.started.append(environ["PATH_INFO"])
        assert self.release.wait(10)
        if self.fail:
            raise RuntimeError("the view failed")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Closing(self)


class Closing(list[bytes]):
    def __init__(self, app: SlowApp) -> None:
        super().__init__([b"ok"])
        self.app = app

    def close(self) -> None:
        self.app.closed += 1


def limiter(app: Any, **overrides: Any) -> backpressure.ThreadedHeavyReadLimiter:
    options: dict[str, Any] = {
        "prefixes": ["/api/map/", "/peta/"],
        "limit": 1,
        "max_waiting": 1,
        "wait_s": 5.0,
        "retry_after_s": 3,
    }
    options.update(overrides)
    return backpressure.ThreadedHeavyReadLimiter(app, **options)


def call(app: Any, path: str, method: str = "GET") -> dict[str, Any]:
    """One request as a WSGI server makes it: iterate the body, then close it (PEP 3333)."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    body: Iterable[bytes] = app({"REQUEST_METHOD": method, "PATH_INFO": path}, start_response)
    try:
        answer["body"] = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close:
            close()
    return answer


def wait_until(condition: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(500):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("condition not reached")


def test_it_lets_a_waiting_heavy_read_in_when_a_slot_frees() -> None:
    inner = SlowApp()
    app = limiter(inner)
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(call, app, "/api/map/reports.geojson")
        wait_until(lambda: inner.started == ["/api/map/reports.geojson"])
        second = pool.submit(call, app, "/peta/")
        wait_until(lambda: app.waiting == 1)
        assert inner.started == ["/api/map/reports.geojson"]  # the second one waits
        inner.release.set()
        assert first.result(10)["status"] == second.result(10)["status"] == 200
    assert (app.in_flight, app.waiting, inner.closed) == (0, 0, 2)


def test_it_answers_the_bilingual_503_with_retry_after_when_the_queue_is_full() -> None:
    inner = SlowApp()
    app = limiter(inner)
    with ThreadPoolExecutor(max_workers=2) as pool:
        held: list[Future[dict[str, Any]]] = [pool.submit(call, app, "/api/map/a")]
        wait_until(lambda: app.in_flight == 1)
        held.append(pool.submit(call, app, "/api/map/b"))
        wait_until(lambda: app.waiting == 1)
        refused = call(app, "/api/map/c")
        inner.release.set()
        assert [f.result(10)["status"] for f in held] == [200, 200]
    assert refused["status"] == 503
    assert refused["headers"]["Retry-After"] == "3"
    assert refused["headers"]["Cache-Control"] == "no-store"
    assert refused["headers"]["Content-Length"] == str(len(refused["body"]))
    error = json.loads(refused["body"])["errors"][0]
    assert error["code"] == "busy" and "3 detik" in error["message"]
    assert "3 seconds" in error["message_en"]
    assert app.refused == 1 and inner.started == ["/api/map/a", "/api/map/b"]


def test_it_answers_503_when_the_wait_runs_out() -> None:
    inner = SlowApp()
    app = limiter(inner, wait_s=0.2)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(call, app, "/peta/")
        wait_until(lambda: app.in_flight == 1)
        assert call(app, "/peta/")["status"] == 503
        inner.release.set()
        assert first.result(10)["status"] == 200
    assert (app.in_flight, app.waiting) == (0, 0)


def test_it_never_holds_back_intake_simple_reads_or_lookalike_paths() -> None:
    inner = SlowApp()
    inner.release.set()
    app = limiter(inner, max_waiting=0)
    app.in_flight = app.limit  # saturated: any heavy read would be refused now
    for method, path in (
        ("POST", "/api/reports/"),
        ("POST", "/api/map/reports.geojson"),  # not a read
        ("GET", "/healthz"),
        ("GET", "/api/boundaries/lookup"),
        ("GET", "/api/mapping/"),  # shares letters with a prefix, not the prefix
        ("GET", "/"),
    ):
        assert call(app, path, method)["status"] == 200, (method, path)
    assert call(app, "/api/map/x")["status"] == 503
    assert call(app, "/peta/", "HEAD")["status"] == 503


def test_it_frees_the_slot_when_the_view_fails() -> None:
    inner = SlowApp()
    inner.fail = True
    inner.release.set()
    app = limiter(inner)
    with pytest.raises(RuntimeError):
        call(app, "/peta/")
    assert app.in_flight == 0
    inner.fail = False
    assert call(app, "/peta/")["status"] == 200


def test_it_frees_the_slot_when_the_client_goes_away_mid_body() -> None:
    """The server closes a response it could not finish sending: the slot comes back."""
    inner = SlowApp()
    inner.release.set()
    app = limiter(inner)
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": "/peta/"}, lambda *a: None)
    assert app.in_flight == 1
    body.close()  # type: ignore[attr-defined]
    assert app.in_flight == 0 and inner.closed == 1


@pytest.mark.parametrize(
    "overrides",
    [{"limit": 0}, {"max_waiting": -1}, {"wait_s": -1}, {"retry_after_s": 0}],
)
def test_it_refuses_a_nonsense_configuration(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        limiter(SlowApp(), **overrides)


def test_it_wraps_the_served_application_with_the_settings() -> None:
    from django.conf import settings

    from geo_klik import wsgi

    app = wsgi.application
    assert isinstance(app, backpressure.ThreadedHeavyReadLimiter)
    assert app.prefixes == tuple(settings.HEAVY_READ_PATHS)
    assert app.limit == settings.HEAVY_READ_CONCURRENCY
    # A waiting heavy read holds a thread: at most a quarter of them wait.
    assert 1 <= app.max_waiting <= max(1, settings.WEB_THREADS // 4)
    assert app.app is wsgi.django_application
