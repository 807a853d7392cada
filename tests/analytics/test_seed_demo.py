"""seed_demo writes a marked synthetic history and --remove deletes exactly it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from geo_klik.analytics.models import DemoReport, ReportFact
from geo_klik.dispatch.models import Assignment, RoutingDecision
from geo_klik.reports.models import Report, ReportEvent, ReportRating
from tests.analytics.conftest import BARAT, History

pytestmark = pytest.mark.django_db


def seed(reports: int) -> str:
    out = io.StringIO()
    call_command("seed_demo", reports=reports, batch_size=150, days=120, verbosity=0, stdout=out)
    return out.getvalue()


def test_it_writes_a_marked_history_with_timelines(history: History) -> None:
    assert "400" in seed(400)
    demo = Report.objects.filter(pk__in=DemoReport.objects.values("report_id"))
    assert demo.count() == DemoReport.objects.count() == 400
    assert all(code.startswith("DEMO") for code in demo.values_list("tracking_code", flat=True))
    assert not demo.filter(kelurahan__isnull=True).exists()
    assert not demo.exclude(reporter_name="").exists()  # no personal data, not even made up
    assert Assignment.objects.filter(report__in=demo, role="primary").count() == 400
    assert ReportEvent.objects.filter(report__in=demo, status_to="acknowledged").exists()
    assert ReportEvent.objects.filter(report__in=demo, status_from="resolved").exists()
    assert ReportRating.objects.filter(report__in=demo).exists()
    # resolved_at is set on resolved reports only, as change_status does
    assert not demo.exclude(status="resolved").filter(resolved_at__isnull=False).exists()
    assert ReportFact.objects.count() == 400  # the fact view is refreshed


def test_it_removes_only_demo_reports(history: History) -> None:
    real = history.add(BARAT, "road_damage", ack_h=1, resolve_h=2, stars=4)
    seed(300)
    out = io.StringIO()
    call_command("seed_demo", remove=True, stdout=out)
    assert "300" in out.getvalue()
    assert list(Report.objects.values_list("pk", flat=True)) == [real.pk]
    assert DemoReport.objects.count() == 0
    assert RoutingDecision.objects.exclude(report=real).count() == 0
    assert ReportEvent.objects.exclude(report=real).count() == 0
    assert ReportRating.objects.get().report_id == real.pk
    assert ReportFact.objects.count() == 1


def test_it_refreshes_the_figures_on_command(history: History) -> None:
    history.add(BARAT, "road_damage")
    assert ReportFact.objects.count() == 0
    call_command("refresh_analytics", stdout=io.StringIO())
    assert ReportFact.objects.count() == 1
