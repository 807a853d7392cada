"""Reads of the console's back end that belong to no one app: city-wide counts, delivery
problems, the audit log (the queue and a report's detail are dispatch's queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from geo_klik.accounts import roles
from geo_klik.accounts.models import AuditLog
from geo_klik.dispatch.models import Assignment, Notification
from geo_klik.reports.models import Report

NOTIFICATIONS_LIMIT = 200
AUDIT_LIMIT = 200


def report_counts() -> dict[str, dict[str, int]]:
    """City-wide counts of reports by status, by category and by primary agency."""
    by_status = dict(Report.objects.values_list("status").annotate(n=Count("id")).order_by())
    by_category = dict(
        Report.objects.values_list("category__code").annotate(n=Count("id")).order_by()
    )
    by_agency = dict(
        Assignment.objects.filter(active=True, role=Assignment.Role.PRIMARY)
        .values_list("agency__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {"by_status": by_status, "by_category": by_category, "by_agency": by_agency}


def undelivered_notifications(user: Any) -> list[Notification]:
    """Notifications not delivered (failed, or still retrying) that the user may see."""
    rows: QuerySet[Notification] = Notification.objects.exclude(
        state=Notification.State.SENT
    ).select_related("agency")
    if not roles.is_city_wide(user):
        rows = rows.filter(agency_id=roles.agency_id_of(user) or 0)
    return list(rows[:NOTIFICATIONS_LIMIT])


def audit_entries(*, object_id: str = "") -> list[AuditLog]:
    """The latest audit entries, of one object when ``object_id`` is given."""
    rows = AuditLog.objects.select_related("agency")
    if object_id:
        rows = rows.filter(object_id=object_id[:40])
    return list(rows[:AUDIT_LIMIT])
