"""Notifications: stored once per channel, delivered by Celery with retries; failures kept."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import override_settings

from geo_klik.dispatch import tasks
from geo_klik.dispatch.actions import notifications, workflow
from geo_klik.dispatch.models import Notification
from tests.personas import BARAT, Personas


class FlakyWebhook:
    """A local HTTP server that answers 503 to the first `failures` POSTs, then 204."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                outer.bodies.append(json.loads(self.rfile.read(length)))
                failing = len(outer.bodies) <= outer.failures
                self.send_response(503 if failing else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[Any]:
    servers: list[FlakyWebhook] = []

    def start(failures: int) -> FlakyWebhook:
        servers.append(FlakyWebhook(failures))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def eager(settings: Any) -> Iterator[None]:
    from geo_klik.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_it_retries_a_failing_webhook_until_it_succeeds(
    personas: Personas,
    routed_report: Any,
    webhook: Any,
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hook = webhook(failures=2)
    agency = personas.polsek_agency
    agency.webhook_url, agency.email = hook.url, "polsek@example.org"
    agency.save()
    report = routed_report(BARAT, "road_damage")

    with (
        override_settings(NOTIFICATION_MAX_ATTEMPTS=5),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.transfer(report.pk, user=personas.operator, agency=agency, reason="Salah SKPD")

    rows = {n.channel: n for n in Notification.objects.filter(kind="transferred")}
    assert rows["webhook"].state == Notification.State.SENT
    assert rows["webhook"].attempts == 3
    assert len(hook.bodies) == 3
    assert hook.bodies[0]["report"]["tracking_code"] == report.tracking_code
    assert "reporter_name" not in json.dumps(hook.bodies[0])  # no personal data
    assert rows["email"].state == Notification.State.SENT
    assert mail.outbox[0].to == ["polsek@example.org"]


def test_it_marks_a_notification_failed_after_the_last_attempt(
    personas: Personas,
    routed_report: Any,
    webhook: Any,
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hook = webhook(failures=100)
    agency = personas.polsek_agency
    agency.webhook_url = hook.url
    agency.save()
    report = routed_report(BARAT, "road_damage")

    with (
        override_settings(NOTIFICATION_MAX_ATTEMPTS=3),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.transfer(report.pk, user=personas.operator, agency=agency, reason="Salah SKPD")

    row = Notification.objects.get(kind="transferred", channel="webhook")
    assert row.state == Notification.State.FAILED
    assert row.attempts == 3
    assert "503" in row.last_error
    failures = personas.client(personas.operator).get("/api/staff/notifications/").json()
    assert [n["id"] for n in failures["results"]] == [row.pk]
    hidden = personas.client(personas.pupr).get("/api/staff/notifications/").json()
    assert hidden["results"] == []  # another agency's failures stay with it


def test_it_backs_off_exponentially_with_a_ceiling() -> None:
    assert [notifications.backoff_s(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert notifications.backoff_s(20) == 900


def test_it_stores_each_notification_once(personas: Personas, routed_report: Any) -> None:
    agency = personas.pupr_agency
    agency.email = "pupr@example.org"
    agency.save()
    report = routed_report(BARAT, "road_damage")

    assert notifications.notify_agency(report, agency, kind="routed", key="1") == 1
    assert notifications.notify_agency(report, agency, kind="routed", key="1") == 0


def test_it_notifies_the_primary_agency_when_the_routing_task_runs(
    personas: Personas, make_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    personas.pupr_agency.email = "pupr@example.org"
    personas.pupr_agency.save()
    report = make_report(BARAT[0], BARAT[1], "road_damage")

    with django_capture_on_commit_callbacks(execute=False):
        tasks.route_report(report.pk)
        tasks.route_report(report.pk)  # a redelivered task: still one notification

    assert list(Notification.objects.values_list("kind", "agency__code")) == [
        ("routed", "dinas-pupr")
    ]


def test_it_retries_a_delivery_that_met_a_database_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # PostgreSQL restarting: the delivery task must try again soon, not wait for the resend job.
    calls: list[int] = []

    def deliver(notification_id: int) -> None:
        calls.append(notification_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(notifications, "deliver", deliver)
    result = tasks.deliver_notification.apply(args=(7,))
    assert result.successful()
    assert calls == [7, 7]
