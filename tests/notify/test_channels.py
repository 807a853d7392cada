"""Each channel against a real local receiver: an SMTP server, an HTTP SMS gateway."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pytest_django.fixtures import Settings

from geo_klik.notify import actions, channels
from geo_klik.notify.models import Delivery, Message
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent
from tests.notify.conftest import (
    EMAIL,
    PHONE,
    Queued,
    RecordingGateway,
    RecordingSMTP,
    add_contact,
    run_due,
)


def acknowledge(report: Report) -> None:
    report_actions.change_status(report, Report.Status.ACKNOWLEDGED, actor=ReportEvent.Actor.STAFF)


def test_it_sends_the_email_through_a_real_smtp_server(
    report: Report, smtp: RecordingSMTP, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    acknowledge(report)
    assert run_due()["tried"] == 1
    (envelope,) = smtp.messages
    assert envelope.rcpt_tos == [EMAIL]
    body = smtp.bodies()[0]
    assert f"[KLIK {report.tracking_code}]" in body
    assert f"/lacak/{report.tracking_code}/#rahasia=" in body
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    # Nothing is sent twice: the sweep and the queued task find it done.
    assert run_due()["tried"] == 0
    assert actions.deliver(delivery.pk) is None
    assert len(smtp.messages) == 1


def test_it_gives_up_at_once_on_a_refused_address(
    report: Report, smtp: RecordingSMTP, queued: Queued
) -> None:
    smtp.refuse_with = "550 5.1.1 no such mailbox warga@example.id"
    add_contact(report, email=EMAIL, channels=["email"])
    acknowledge(report)
    run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "gave_up" and delivery.attempts == 1
    assert EMAIL not in delivery.last_error and "550" in delivery.last_error


def test_it_posts_the_sms_to_the_gateway_with_its_credentials(
    report: Report, gateway: RecordingGateway, queued: Queued
) -> None:
    add_contact(report, phone=PHONE, channels=["sms"])
    acknowledge(report)
    assert run_due()["tried"] == 1
    (request,) = gateway.requests
    assert request["headers"]["Authorization"] == "Basic a2xpazpyYWhhc2lhLWdhdGV3YXk="
    sent = json.loads(request["body"])
    assert sent["to"] == PHONE
    assert f"/lacak/{report.tracking_code}/#rahasia=" in sent["message"]
    assert Delivery.objects.get().status == "sent"


def test_it_escapes_text_into_the_gateway_template(
    report: Report, gateway: RecordingGateway, queued: Queued
) -> None:
    add_contact(report, phone=PHONE, channels=["sms"])
    report_actions.change_status(
        report,
        Report.Status.REJECTED,
        actor=ReportEvent.Actor.STAFF,
        note='Bukan "kota" \\ {phone} </script>\n',
    )
    run_due()
    sent = json.loads(gateway.requests[0]["body"])  # still valid JSON
    assert sent["to"] == PHONE
    assert 'Bukan "kota" \\ {phone} </script>' in sent["message"]


def test_it_keeps_sms_off_unless_a_gateway_is_configured(
    report: Report, settings: Settings, queued: Queued
) -> None:
    settings.NOTIFY_SMS_URL = ""
    assert "sms" not in channels.available_channels()
    add_contact(report, phone=PHONE, channels=["sms"])
    acknowledge(report)
    run_due()
    assert Message.objects.get().sealed_at is not None
    assert not Delivery.objects.exists()


def test_it_retries_a_gateway_500_with_back_off_then_gives_up(
    report: Report, gateway: RecordingGateway, queued: Queued, settings: Settings
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_BACKOFF_S = 30
    gateway.status = 500
    add_contact(report, phone=PHONE, channels=["sms"])
    acknowledge(report)
    run_due()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "failed",
        1,
        "retry: gateway HTTP 500",
    )
    first_retry = delivery.next_attempt_at
    # Not before its back-off...
    assert run_due(now=first_retry - timedelta(seconds=1))["tried"] == 0
    run_due(now=first_retry)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at - first_retry == timedelta(
        seconds=60
    )
    run_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("gave_up", 3)
    assert len(gateway.requests) == 3
    assert run_due(now=delivery.next_attempt_at + timedelta(days=1))["tried"] == 0


def test_it_retries_a_gateway_that_times_out(
    report: Report, gateway: RecordingGateway, queued: Queued, settings: Settings
) -> None:
    settings.NOTIFY_SMS_TIMEOUT_S = 0.2
    gateway.delay_s = 1.0
    add_contact(report, phone=PHONE, channels=["sms"])
    acknowledge(report)
    run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.last_error.startswith("retry: gateway unreachable")
    assert PHONE not in delivery.last_error and gateway.url not in delivery.last_error


@pytest.mark.parametrize("status", [400, 401, 404])
def test_it_gives_up_on_a_gateway_refusal(
    report: Report, gateway: RecordingGateway, queued: Queued, status: int
) -> None:
    gateway.status = status
    add_contact(report, phone=PHONE, channels=["sms"])
    acknowledge(report)
    run_due()
    assert Delivery.objects.get().status == "gave_up"
