"""Reads of the field officers' app: the inbox and the incidents an officer may open."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from geo_klik.accounts import roles
from geo_klik.dispatch.models import UnitAssignment
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto

# An incident stays readable by its agency's officers this long after their unit was released.
RECENT_JOB = timedelta(days=7)


def is_officer(user: Any) -> bool:
    """SKPD staff with an agency: the people /petugas/ is for."""
    return roles.has_any(user, (roles.SKPD_STAFF,)) and roles.agency_id_of(user) is not None


def _with_details(reports: QuerySet[Report]) -> QuerySet[Report]:
    return (
        reports.select_related("category", "kelurahan")
        .defer("kelurahan__boundary", "kelurahan__label_point")
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.filter(event__isnull=True)),
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(public=True)
                .select_related("agency")
                .prefetch_related("photos")
                .order_by("created_at", "id"),
            ),
        )
    )


def inbox_for(unit_id: int) -> list[UnitAssignment]:
    """The unit's open jobs, highest priority first, then newest."""
    jobs = (
        UnitAssignment.objects.filter(unit_id=unit_id, released_at=None)
        .select_related("unit")
        .prefetch_related(Prefetch("report", queryset=_with_details(Report.objects.all())))
        .order_by("report__category__priority", "-assigned_at")
    )
    return list(jobs)


def incidents_visible_to(user: Any) -> QuerySet[Report]:
    """Reports a unit of the officer's agency is, or was lately, dispatched to; none else."""
    if not is_officer(user):
        return Report.objects.none()
    agency_id = roles.agency_id_of(user) or 0
    since = timezone.now() - RECENT_JOB
    jobs = UnitAssignment.objects.filter(unit__agency_id=agency_id).filter(
        Q(released_at=None) | Q(released_at__gte=since)
    )
    return Report.objects.filter(pk__in=jobs.values("report_id"))


def incident(user: Any, report_id: int) -> Report | None:
    return _with_details(incidents_visible_to(user)).filter(pk=report_id).first()


def job_of(unit_id: int | None, report_id: int) -> UnitAssignment | None:
    """The unit's latest assignment to the report (open or released), or None."""
    if unit_id is None:
        return None
    return (
        UnitAssignment.objects.filter(unit_id=unit_id, report_id=report_id)
        .order_by("-assigned_at", "-id")
        .first()
    )
