"""SLA: unacknowledged reports climb their category's ladder; overdue resolutions are flagged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from geo_klik.dispatch import tasks
from geo_klik.dispatch.actions import sla, workflow
from geo_klik.dispatch.models import EscalationStep, Handling, Notification
from geo_klik.reports.models import Report, ReportEvent
from tests.personas import BARAT, Personas


def aged(report: Report, delta: timedelta) -> Report:
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - delta)
    report.refresh_from_db()
    return report


def test_it_escalates_an_unacknowledged_report_once_and_notifies_supervisors(
    personas: Personas, routed_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = routed_report(BARAT, "road_damage")
    fresh = routed_report(BARAT, "road_damage")
    aged(report, report.category.ack_target + timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=False):
        assert sla.check() == {"escalated": 1, "overdue": 0}
        assert sla.check()["escalated"] == 0  # never twice

    handling = Handling.objects.get(report=report)
    assert handling.escalation_level == 1
    assert not Handling.objects.filter(report=fresh, escalation_level__gt=0).exists()
    event = report.events.get(kind=ReportEvent.Kind.NOTE, actor=ReportEvent.Actor.SYSTEM)
    assert event.public is False and "Escalation level 1" in event.note
    supervisor_mail = Notification.objects.get(kind="escalated")
    assert supervisor_mail.recipient == personas.supervisor.email


def test_it_climbs_a_configured_ladder(
    personas: Personas, routed_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = routed_report(BARAT, "road_damage")
    personas.pupr_agency.email = "pupr@example.org"
    personas.pupr_agency.save()
    for level, minutes, notify in ((1, 10, "agency"), (2, 30, "both")):
        EscalationStep.objects.create(
            category=report.category, level=level, after=timedelta(minutes=minutes), notify=notify
        )
    with django_capture_on_commit_callbacks(execute=False):
        aged(report, timedelta(minutes=11))
        sla.check()
        assert Handling.objects.get(report=report).escalation_level == 1
        assert (
            Notification.objects.filter(kind="escalated", agency=personas.pupr_agency).count() == 1
        )
        aged(report, timedelta(minutes=31))
        sla.check()
    assert Handling.objects.get(report=report).escalation_level == 2
    assert Notification.objects.filter(kind="escalated").count() == 3  # agency x2, supervisor


def test_it_does_not_escalate_an_acknowledged_report(
    personas: Personas, routed_report: Any
) -> None:
    report = routed_report(BARAT, "road_damage")
    workflow.acknowledge(report.pk, user=personas.pupr)
    aged(report, timedelta(days=1))

    assert sla.check()["escalated"] == 0


def test_it_flags_an_overdue_resolution_once_through_the_beat_task(
    personas: Personas, routed_report: Any
) -> None:
    report = routed_report(BARAT, "road_damage")
    workflow.acknowledge(report.pk, user=personas.pupr)
    aged(report, report.category.resolve_target + timedelta(hours=1))

    assert tasks.check_sla()["overdue"] == 1
    assert tasks.check_sla()["overdue"] == 0
    assert Handling.objects.get(report=report).resolve_overdue_at is not None
    row = personas.client(personas.operator).get("/api/staff/reports/").json()["results"][0]
    assert row["resolve_overdue"] is True
    assert len(mail.outbox) == 0  # overdue resolutions are flagged on the console only
