"""The console's "sent to the reporter" panel: each message and each channel's outcome, never
the reporter's address, number or push subscription (issue 15, item 6)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from geo_klik.dispatch.actions import workflow
from geo_klik.notify import actions as notify_actions
from geo_klik.notify.models import ReporterContact
from geo_klik.reports.models import Report
from tests.personas import BARAT, PASSWORD, Personas

EMAIL = "warga.rahasia@example.id"
PHONE = "+6281299990000"
PUSH = {
    "endpoint": "https://127.0.0.1:9/wpush/v2/rahasia-endpoint",
    "keys": {"p256dh": "BNcRd-p256dh-rahasia", "auth": "auth-rahasia"},
}


def a_report_told_twice(personas: Personas, routed_report: Any) -> Report:
    report: Report = routed_report(BARAT, "road_damage")
    ReporterContact.objects.create(
        report=report,
        email=EMAIL,
        phone=PHONE,
        push_subscription=PUSH,
        channels=["email", "webpush"],
        notify_from=report.created_at,
    )
    workflow.acknowledge(report.pk, user=personas.pupr)
    return report


def test_it_shows_each_message_and_channel_without_contact_details(
    personas: Personas, routed_report: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = a_report_told_twice(personas, routed_report)
    # The push endpoint is refused (a loopback host, not allowed here): a channel that failed.
    notify_actions.sweep()
    answer = personas.client(personas.pupr).get(f"/api/staff/reports/{report.pk}/sent-to-reporter/")
    assert answer.status_code == 200
    [message] = answer.json()["messages"]
    assert [e["status_to"] for e in message["events"]] == ["routed", "acknowledged"]
    channels = {d["channel"]: d for d in message["deliveries"]}
    assert set(channels) == {"email", "webpush"}
    assert channels["email"]["status"] == "sent" and channels["email"]["attempts"] == 1
    assert channels["webpush"]["status"] in ("failed", "gave_up")
    assert channels["webpush"]["last_error"]
    text = answer.content.decode()
    for secret in (EMAIL, PHONE, "rahasia-endpoint", "p256dh", "auth-rahasia", "wpush"):
        assert secret not in text, secret


def test_only_staff_who_see_the_report_see_what_was_sent(
    personas: Personas, routed_report: Any
) -> None:
    report = a_report_told_twice(personas, routed_report)
    url = f"/api/staff/reports/{report.pk}/sent-to-reporter/"
    assert personas.client(personas.operator).get(url).status_code == 200
    assert personas.client(personas.polsek).get(url).status_code == 404  # another agency's
    assert personas.client(personas.outsider).get(url).status_code == 403
    assert personas.client(None).get(url).status_code in (401, 403)
    assert (
        personas.client(personas.pupr)
        .get("/api/staff/reports/999999/sent-to-reporter/")
        .status_code
        == 404
    )


def test_a_report_never_told_has_an_empty_list(personas: Personas, routed_report: Any) -> None:
    report: Report = routed_report(BARAT, "road_damage")
    answer = personas.client(personas.pupr).get(f"/api/staff/reports/{report.pk}/sent-to-reporter/")
    assert json.loads(answer.content) == {"messages": []}


def test_the_console_page_loads_the_panel(personas: Personas) -> None:
    client = Client()
    assert client.login(username=personas.operator.get_username(), password=PASSWORD)
    html = client.get("/control/").content.decode()
    assert 'id="sent-to-reporter"' in html and "control/sent_to_reporter.js" in html
    assert "/api/staff/reports/0/sent-to-reporter/" in html
