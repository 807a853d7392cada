"""Staff see what was sent to the reporter and whether it failed, never the contact itself."""

from __future__ import annotations

from django.test import Client

from geo_klik.notify import queries
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

PUSH = {
    "endpoint": "https://push.example.com/secret-endpoint",
    "keys": {"p256dh": "a", "auth": "b"},
}


def test_it_lists_each_message_with_each_channels_outcome(
    report: Report, smtp: RecordingSMTP, gateway: RecordingGateway, queued: Queued
) -> None:
    gateway.status = 500
    add_contact(report, email=EMAIL, phone=PHONE, channels=["email", "sms"])
    event = report_actions.change_status(
        report, Report.Status.ACKNOWLEDGED, actor=ReportEvent.Actor.STAFF
    )
    run_due()
    (sent,) = queries.messages_to_reporter(report.pk)
    assert sent.event_ids == [event.pk] and sent.sealed_at is not None and sent.failed
    email, sms = sent.deliveries
    assert (email.channel, email.status, email.attempts) == ("email", "sent", 1)
    assert (sms.channel, sms.status, sms.last_error) == ("sms", "failed", "retry: gateway HTTP 500")
    assert sms.next_attempt_at is not None and email.next_attempt_at is None
    assert EMAIL not in repr(sent) and PHONE not in repr(sent)


def test_it_reads_in_three_queries(
    report: Report, queued: Queued, django_assert_max_num_queries: object
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    for status in (Report.Status.ACKNOWLEDGED, Report.Status.DISPATCHED):
        report_actions.change_status(report, status, actor=ReportEvent.Actor.STAFF)
        Message.objects.update(sealed_at=report.created_at)
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        assert len(queries.messages_to_reporter(report.pk)) == 2


def test_the_admin_shows_deliveries_read_only_without_contact_details(
    admin_client: Client, report: Report, smtp: RecordingSMTP, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, phone=PHONE, push_subscription=PUSH, channels=["email"])
    report_actions.change_status(report, Report.Status.ACKNOWLEDGED, actor=ReportEvent.Actor.STAFF)
    run_due()
    message, delivery = Message.objects.get(), Delivery.objects.get()
    pages = [
        admin_client.get("/admin/notify/message/"),
        admin_client.get(f"/admin/notify/message/{message.pk}/change/"),
        admin_client.get("/admin/notify/delivery/"),
        admin_client.get(f"/admin/notify/delivery/{delivery.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert EMAIL not in text and "81234567890" not in text and "secret-endpoint" not in text
    assert report.tracking_code in pages[2].content.decode()
    assert admin_client.get("/admin/notify/reportercontact/").status_code == 404
    assert admin_client.post(f"/admin/notify/delivery/{delivery.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/notify/delivery/add/").status_code == 403
