"""Fixtures of the reporter-notification tests: a report with a contact, real local receivers.

``smtp`` is a real SMTP server (aiosmtpd) on a free port; ``gateway`` a real HTTP server that
records every request and answers as the test says. ``queued`` records what would go to the
broker (the tests then run the tasks' actions themselves, as a worker would).
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from celery import current_app
from pytest_django.fixtures import Settings

from geo_klik.agencies.models import Agency
from geo_klik.notify import actions
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report
from tests.conftest import TinyCity

SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-abcd"  # 32 characters, as issued
TINY_LAT, TINY_LON = -0.005, 100.005
EMAIL = "warga@example.id"
PHONE = "+6281234567890"


@pytest.fixture(autouse=True)
def no_rate_limits(settings: Settings) -> None:
    """The intake's rate limits (shared by the settings API) are off unless a test sets them."""
    settings.REPORTS_RATE_LIMIT = ""
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = ""
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = ""


@dataclass
class Queued:
    """Tasks handed to the broker: (task name, args, options)."""

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)

    def ids(self, name: str) -> list[int]:
        return [int(args[0]) for task, args, _ in self.calls if task == name]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Queued:
    record = Queued()

    def send_task(name: str, args: tuple[Any, ...] = (), **options: Any) -> None:
        record.calls.append((name, tuple(args), options))

    monkeypatch.setattr(current_app, "send_task", send_task)
    return record


@pytest.fixture
def agency(db: None) -> Agency:
    return Agency.objects.create(
        code="dinas-pupr", name_id="Dinas PUPR", name_en="Public Works", kind="dinas"
    )


@pytest.fixture
def report(tiny_city: TinyCity) -> Report:
    category = Category.objects.create(code="garbage", name_id="Sampah", name_en="Garbage")
    made, _ = report_actions.create_report(
        category=category,
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah menumpuk",
        reporter_secret=SECRET,
    )
    return made


def add_contact(report: Report, *, language: str = "id", **fields: Any) -> ReporterContact:
    return ReporterContact.objects.create(
        report=report, language=language, notify_from=report.created_at, **fields
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RecordingSMTP:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self, port: int = 0) -> None:
        self.messages: list[Envelope] = []
        self.refuse_with = ""  # e.g. "550 no such user", "451 try later"
        outer = self

        class Handler:
            async def handle_RCPT(
                self, server: SMTP, session: Session, envelope: Envelope, address: str, *_: Any
            ) -> str:
                if outer.refuse_with:
                    return outer.refuse_with
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
                outer.messages.append(envelope)
                return "250 Message accepted"

        self.port = port or free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def bodies(self) -> list[str]:
        raw = [m.content or b"" for m in self.messages]
        return [c if isinstance(c, str) else c.decode("utf-8", "replace") for c in raw]


@pytest.fixture
def smtp(settings: Settings) -> Iterator[RecordingSMTP]:
    server = RecordingSMTP()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.NOTIFY_EMAIL_TIMEOUT_S = 2.0
    yield server
    server.controller.stop()


class RecordingGateway:
    """A real HTTP server that records each request and answers ``status`` (or waits)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.delay_s = 0.0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                outer.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if outer.delay_s:
                    time.sleep(outer.delay_s)
                self.send_response(outer.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings: Settings) -> Iterator[RecordingGateway]:
    server = RecordingGateway()
    settings.NOTIFY_SMS_URL = server.url
    settings.NOTIFY_SMS_AUTH = "klik:rahasia-gateway"
    settings.NOTIFY_SMS_TIMEOUT_S = 1.0
    yield server
    server.close()


def run_due(*, now: Any = None) -> dict[str, int]:
    """What the worker and beat would do now: the sweep, in process."""
    return actions.sweep(now=now)
