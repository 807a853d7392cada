"""Sending alerts: e-mail through a real SMTP server, Web Push decrypted by a local receiver,
one-click unsubscribe in every message, nothing sent twice, back-off, a gone push subscription."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import timedelta
from typing import Any

from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import Settings

from geo_klik.alerts import actions, credentials, tasks
from geo_klik.alerts.models import AlertDelivery, AlertSubscription
from geo_klik.reports.models import Category
from tests.alerts.conftest import (
    CENTRE,
    EMAIL,
    at_distance,
    fan_out_and_send,
    make_report,
    resolve,
    route,
    subscribe,
)
from tests.conftest import TinyCity
from tests.notify.conftest import Queued, RecordingSMTP, free_port
from tests.notify.push_receiver import Browser, PushService


def parsed(smtp: RecordingSMTP, index: int = 0) -> email.message.EmailMessage:
    raw = smtp.messages[index].original_content or b""
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_it_emails_an_immediate_alert_with_a_one_click_unsubscribe(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    subscription = subscribe([garbage], kelurahan=tiny_city.kelurahan["Barat Selatan"])
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    assert fan_out_and_send(report, "new") == 1
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == [EMAIL]
    message = parsed(smtp)
    assert message["Subject"] == "[KLIK] Laporan baru: Sampah di Barat Selatan"
    token = credentials.unsubscribe_token(subscription.pk)
    stop = f"https://klik.example.id/peringatan/berhenti/{token}/"
    assert str(message["List-Unsubscribe"]).strip() == f"<{stop}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_content()
    # The news, its public page, then why it came with the manage and unsubscribe links.
    line = body.index(f"Laporan baru: Sampah di Barat Selatan ({report.tracking_code}).")
    link = body.index(f"https://klik.example.id/lacak/{report.tracking_code}/")
    why = body.index("Anda menerima pesan ini karena berlangganan")
    assert line < link < why < body.index(stop)
    assert "Kelola langganan Anda: https://klik.example.id/peringatan/#kunci=" in body
    # Never the point, the description or the reporter's secret link.
    assert "Ada masalah" not in body and "#rahasia" not in body
    assert f"{report.location.y:.4f}" not in body
    # RFC 8058: the mail client POSTs to the link, without a cookie or CSRF token.
    answer = Client(enforce_csrf_checks=True).post(
        f"/peringatan/berhenti/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()


def test_it_writes_english_to_an_english_subscription(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    subscribe([garbage], centre=CENTRE, radius_m=1000, language="en")
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    resolve(report)
    fan_out_and_send(report, "resolved")
    message = parsed(smtp)
    assert message["Subject"] == "[KLIK] Resolved: Garbage in Barat Selatan"
    assert "Unsubscribe (one click)" in message.get_content()


def test_it_pushes_an_alert_the_browser_decrypts(
    tiny_city: TinyCity, garbage: Category, service: PushService, queued: Queued
) -> None:
    browser = Browser()
    subscription = subscribe(
        [garbage],
        centre=CENTRE,
        radius_m=1000,
        channel="webpush",
        push_subscription=service.subscription(browser),
    )
    assert subscription.confirmed_at is not None  # the browser's permission confirmed it
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    fan_out_and_send(report, "new")
    [received] = service.received
    shown = browser.decrypt(received.body)
    assert shown["url"] == f"https://klik.example.id/lacak/{report.tracking_code}/"
    assert shown["title"] == "[KLIK] Laporan baru: Sampah di Barat Selatan"
    token = credentials.unsubscribe_token(subscription.pk)
    assert shown["unsubscribe"] == f"https://klik.example.id/peringatan/berhenti/{token}/"
    assert json.dumps(shown).count(str(report.location.x)[:8]) == 0


def test_it_sends_nothing_twice_when_the_fan_out_and_sending_are_retried(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    for i in range(3):
        subscribe([garbage], centre=CENTRE, radius_m=1000, email=f"warga{i}@example.id")
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    assert actions.fan_out(report.pk, "new") == 3
    assert actions.fan_out(report.pk, "new") == 0  # the broker delivered the task twice
    tasks.fan_out.apply((report.pk, "new"))
    tasks.send_due.apply()
    tasks.send_due.apply()
    assert actions.sweep()["tried"] == 0
    assert sorted(r for m in smtp.messages for r in m.rcpt_tos) == [
        "warga0@example.id",
        "warga1@example.id",
        "warga2@example.id",
    ]
    assert AlertDelivery.objects.filter(kind="alert", status="sent").count() == 3


def test_it_backs_off_while_smtp_is_down_and_sends_once_it_is_back(
    tiny_city: TinyCity, garbage: Category, settings: Settings, queued: Queued
) -> None:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    subscribe([garbage], centre=CENTRE, radius_m=1000)
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    fan_out_and_send(report, "new")
    delivery = AlertDelivery.objects.get(kind="alert")
    assert delivery.status == "failed"
    assert delivery.last_error == "retry: SMTP unreachable: ConnectionRefusedError"
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30  # NOTIFY_BACKOFF_S, as notify
    assert actions.send_due() == 0  # not due yet
    server = RecordingSMTP(port)
    try:
        assert actions.send_one(
            actions.Sender(), now=delivery.next_attempt_at + timedelta(seconds=1)
        )
    finally:
        server.controller.stop()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(server.messages)) == ("sent", 2, 1)


def test_it_forgets_a_push_subscription_the_push_service_says_is_gone(
    tiny_city: TinyCity, garbage: Category, service: PushService, queued: Queued
) -> None:
    service.status = 410
    subscription = subscribe(
        [garbage],
        centre=CENTRE,
        radius_m=1000,
        channel="webpush",
        push_subscription=service.subscription(Browser()),
    )
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    fan_out_and_send(report, "new")
    assert len(service.received) == 1
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()
    assert AlertDelivery.objects.count() == 0


def test_a_batch_sends_through_one_smtp_session(
    tiny_city: TinyCity, garbage: Category, settings: Settings, queued: Queued
) -> None:
    sessions: list[str] = []
    received: list[str] = []

    class Counting:
        async def handle_EHLO(
            self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
        ) -> list[str]:
            sessions.append(hostname)
            session.host_name = hostname  # a handle_EHLO hook sets it itself (aiosmtpd)
            return responses

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        for i in range(4):
            subscribe([garbage], centre=CENTRE, radius_m=1000, email=f"warga{i}@example.id")
        report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
        route(report)
        assert fan_out_and_send(report, "new") == 4
    finally:
        controller.stop()
    assert len(received) == 4 and len(sessions) == 1


def test_each_send_costs_the_same_few_queries(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    for i in range(6):
        subscribe([garbage], centre=CENTRE, radius_m=1000, email=f"warga{i}@example.id")
    report = make_report(garbage, *at_distance(*CENTRE, metres=300), tiny_city)
    route(report)
    actions.fan_out(report.pk, "new")
    sender = actions.Sender()
    per_send = []
    try:
        for _ in range(6):
            with CaptureQueriesContext(connection) as captured:
                assert actions.send_one(sender)
            per_send.append([q["sql"] for q in captured.captured_queries])
    finally:
        sender.close()
    # The first reads the report's news once for the batch; every later send is the claim (one
    # query, joined, in the partial index's order) and the update, in their savepoint.
    claims = [sql for sql in per_send[1] if "SKIP LOCKED" in sql]
    assert len(claims) == 1
    assert 'ORDER BY "alerts_alertdelivery"."next_attempt_at" ASC LIMIT 1' in claims[0]
    assert 'FOR UPDATE OF "alerts_alertdelivery" SKIP LOCKED' in claims[0]
    assert len(set(map(len, per_send[1:]))) == 1 and len(per_send[1]) <= 4
    assert len(per_send[0]) > len(per_send[1])
