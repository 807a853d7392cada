"""A public change reaches the reporter's browser: message, delivery, encrypted push, decrypted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from geo_klik.agencies.models import Agency
from geo_klik.notify import actions
from geo_klik.notify.models import Delivery, Message, ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports import credentials
from geo_klik.reports.models import Report, ReportEvent
from tests.notify.conftest import Queued, add_contact
from tests.notify.push_receiver import Browser, PushService, push_service


@pytest.fixture(autouse=True)
def loopback_push(settings: Settings, tmp_path: Path) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = True
    settings.NOTIFY_VAPID_DIR = tmp_path / "vapid"
    settings.NOTIFY_BASE_URL = "https://klik.example.id"


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


def resolve_and_deliver(report: Report, agency: Agency) -> Delivery:
    report_actions.change_status(
        report,
        Report.Status.RESOLVED,
        actor=ReportEvent.Actor.STAFF,
        agency_id=agency.pk,
        note="Lubang sudah ditambal.",
    )
    message = Message.objects.get(report=report)
    [delivery_id] = actions.seal(message.pk)
    delivery = actions.deliver(delivery_id)
    assert delivery is not None
    return delivery


def test_it_pushes_a_resolution_the_browser_decrypts(
    report: Report, agency: Agency, service: PushService, queued: Queued
) -> None:
    browser = Browser()
    add_contact(report, push_subscription=service.subscription(browser), channels=["webpush"])
    delivery = resolve_and_deliver(report, agency)

    assert delivery.status == Delivery.Status.SENT
    [received] = service.received
    shown = browser.decrypt(received.body)
    token = credentials.link_token(report.pk, report.reporter_secret_sha256)
    assert shown["url"] == f"https://klik.example.id/lacak/{report.tracking_code}/#rahasia={token}"
    assert report.tracking_code in shown["title"]
    assert "Lubang sudah ditambal." in shown["body"]
    assert shown["lang"] == "id"
    assert shown["tag"] == f"klik-report-{report.pk}"
    # Claimed and recorded once: trying it again sends nothing.
    assert actions.deliver(delivery.pk) is None
    assert actions.sweep()["tried"] == 0
    assert len(service.received) == 1


def test_it_gives_up_and_forgets_a_gone_subscription(
    report: Report, agency: Agency, service: PushService, queued: Queued
) -> None:
    add_contact(report, push_subscription=service.subscription(Browser()), channels=["webpush"])
    service.status = 410
    delivery = resolve_and_deliver(report, agency)
    assert delivery.status == Delivery.Status.GAVE_UP
    assert delivery.attempts == 1
    assert "gone" in delivery.last_error
    assert "127.0.0.1" not in delivery.last_error  # never the endpoint
    assert ReporterContact.objects.get(report=report).push_subscription is None


def test_it_backs_off_while_the_push_service_is_busy(
    report: Report, agency: Agency, service: PushService, queued: Queued
) -> None:
    browser = Browser()
    add_contact(report, push_subscription=service.subscription(browser), channels=["webpush"])
    service.status = 503
    delivery = resolve_and_deliver(report, agency)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.next_attempt_at > delivery.created_at
    service.status = 201
    retried = actions.deliver(delivery.pk, now=delivery.next_attempt_at)
    assert retried is not None and retried.status == Delivery.Status.SENT
    assert len(service.received) == 2
    assert browser.decrypt(service.received[1].body)["tag"] == f"klik-report-{report.pk}"
