"""Contact details are deleted a configurable time after a report is closed (issue 15, item 5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from geo_klik.notify import retention, tasks
from geo_klik.notify.models import Delivery, Message, ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report, ReportEvent
from tests.conftest import TinyCity
from tests.notify.conftest import (
    EMAIL,
    PHONE,
    SECRET,
    TINY_LAT,
    TINY_LON,
    RecordingSMTP,
    add_contact,
    run_due,
)

PUSH = {"endpoint": "https://push.example.com/rahasia", "keys": {"p256dh": "a", "auth": "b"}}


def a_report(tiny_city: TinyCity, **fields: Any) -> Report:
    category, _ = Category.objects.get_or_create(
        code="garbage", defaults={"name_id": "Sampah", "name_en": "Garbage"}
    )
    made, _ = report_actions.create_report(
        category=category,
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah menumpuk di pasar",
        reporter_secret=SECRET,
        reporter_name="Siti Rahma",
        reporter_phone=PHONE,
        reporter_email=EMAIL,
        **fields,
    )
    add_contact(made, email=EMAIL, phone=PHONE, push_subscription=PUSH, channels=["email"])
    return made


def close(report: Report, status: str = Report.Status.CLOSED) -> ReportEvent:
    return report_actions.change_status(report, status, actor=ReportEvent.Actor.STAFF)


def details_of(report: Report) -> tuple[str, str, str, bool]:
    row = Report.objects.get(pk=report.pk)
    return (
        row.reporter_name,
        row.reporter_phone,
        row.reporter_email,
        ReporterContact.objects.filter(report=report).exists(),
    )


def test_it_deletes_contact_details_90_days_after_closing_and_keeps_the_report(
    tiny_city: TinyCity, smtp: RecordingSMTP
) -> None:
    report = a_report(tiny_city)
    closed = close(report)
    run_due(now=timezone.now() + timedelta(minutes=5))  # the "closed" message is sent
    assert Delivery.objects.get().status == "sent"
    at = closed.created_at
    assert retention.forget_expired_contacts(now=at + timedelta(days=89, hours=23)) == 0
    assert details_of(report) == ("Siti Rahma", PHONE, EMAIL, True)
    assert retention.forget_expired_contacts(now=at + timedelta(days=90, seconds=1)) == 1
    assert details_of(report) == ("", "", "", False)
    # Kept: the report, its description, timeline and the record of what was sent (no address).
    kept = Report.objects.get(pk=report.pk)
    assert kept.description == "Sampah menumpuk di pasar" and kept.reporter_secret_sha256
    assert Message.objects.filter(report=report).count() == 1
    assert Delivery.objects.get().status == "sent"
    note = ReportEvent.objects.filter(report=report).latest("id")
    assert not note.public and "90" in note.note
    # Nothing left to delete: a second run does nothing.
    assert retention.forget_expired_contacts(now=at + timedelta(days=200)) == 0


@pytest.mark.parametrize("final", [Report.Status.REJECTED, Report.Status.DUPLICATE])
def test_rejected_and_merged_reports_count_as_closed(tiny_city: TinyCity, final: str) -> None:
    report = a_report(tiny_city)
    closed = close(report, final)
    assert retention.forget_expired_contacts(now=closed.created_at + timedelta(days=91)) == 1
    assert details_of(report) == ("", "", "", False)


def test_open_and_resolved_reports_keep_their_contact(tiny_city: TinyCity) -> None:
    open_report = a_report(tiny_city)
    resolved = a_report(tiny_city)
    report_actions.change_status(resolved, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    Report.objects.update(updated_at=timezone.now() - timedelta(days=400))
    assert retention.forget_expired_contacts(now=timezone.now() + timedelta(days=400)) == 0
    assert details_of(open_report)[3] and details_of(resolved)[3]


def test_the_retention_is_a_setting(tiny_city: TinyCity, settings: Settings) -> None:
    settings.NOTIFY_CONTACT_RETENTION_DAYS = 7
    report = a_report(tiny_city)
    at = close(report).created_at
    assert retention.forget_expired_contacts(now=at + timedelta(days=6)) == 0
    assert retention.forget_expired_contacts(now=at + timedelta(days=7, seconds=1)) == 1
    assert "7 hari" in ReportEvent.objects.filter(report=report).latest("id").note


def test_the_beat_task_deletes_with_the_real_clock(tiny_city: TinyCity) -> None:
    old = a_report(tiny_city)
    recent = a_report(tiny_city)
    close(old)
    close(recent)
    ReportEvent.objects.filter(report=old).update(created_at=timezone.now() - timedelta(days=120))
    assert tasks.forget_expired_contacts.apply().get() == 1
    assert details_of(old) == ("", "", "", False)
    assert details_of(recent) == ("Siti Rahma", PHONE, EMAIL, True)


def test_a_report_without_a_closing_event_counts_from_its_last_update(
    tiny_city: TinyCity,
) -> None:
    report = a_report(tiny_city)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.CLOSED, updated_at=timezone.now() - timedelta(days=100)
    )
    assert retention.forget_expired_contacts(now=timezone.now()) == 1
    assert details_of(report) == ("", "", "", False)
