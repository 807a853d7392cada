"""The SKPD performance figures gain the units' dispatch-to-arrival and arrival-to-resolution."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from geo_klik.analytics import filters, queries
from geo_klik.dispatch.models import UnitAssignment
from geo_klik.reports.models import ReportEvent
from tests.field.conftest import FieldWorld


def add_jobs(field: FieldWorld, minutes_to_arrive: list[int]) -> None:
    base = timezone.now() - timedelta(hours=3)
    for minutes in minutes_to_arrive:
        job = UnitAssignment.objects.create(unit=field.unit2, report=field.report)
        UnitAssignment.objects.filter(pk=job.pk).update(
            assigned_at=base,
            arrived_at=base + timedelta(minutes=minutes),
            released_at=base + timedelta(hours=1),
        )


def test_it_shows_median_and_p90_per_skpd_from_ten_arrivals(field: FieldWorld) -> None:
    add_jobs(field, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])  # PUPR-2: ten arrivals
    event = ReportEvent.objects.create(
        report=field.report, kind="status", actor="staff", status_to="resolved"
    )
    # The report's first arrival is 1 minute after base (3 h ago); resolved 31 minutes later.
    ReportEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(hours=3) + timedelta(minutes=32)
    )
    [row] = queries.unit_response_times(filters.last_days(7))
    assert row.agency == field.personas.pupr_agency.code
    assert row.arrivals == 10
    assert row.arrival_p50_min == 5.5
    assert row.arrival_p90_min == 9.1
    assert row.resolutions == 1
    assert row.resolution_p50_min == 31.0
    page = Client().get("/transparansi/").content.decode()
    assert 'id="unit-times"' in page
    assert "9.1" in page or "9,1" in page


def test_an_skpd_with_fewer_than_ten_arrivals_is_not_shown(field: FieldWorld) -> None:
    add_jobs(field, [1, 2, 3])
    assert queries.unit_response_times(filters.last_days(7)) == []
    only_police = filters.last_days(7, agencies=(field.personas.polsek_agency.code,))
    assert queries.unit_response_times(only_police) == []
