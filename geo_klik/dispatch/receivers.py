"""dispatch's answers to what the apps below it announce (connected in ``DispatchConfig.ready``)."""

from __future__ import annotations

from typing import Any

from geo_klik.dispatch.actions import reopening, routes
from geo_klik.reports.models import Report, ReportEvent


def route_accepted_reports(sender: object, *, report_ids: list[int], **kwargs: Any) -> None:
    """Queue the routing of reports the intake has just committed."""
    # Through the module attribute, so a test that replaces ``routes.enqueue_routing`` holds.
    routes.enqueue_routing(report_ids)


def reopened_by_reporter(
    sender: object, *, report: Report, event: ReportEvent, escalated: bool, **kwargs: Any
) -> None:
    """The reporter said "not fixed": back to the agency's queue, or to the supervisors."""
    reopening.after_reopen(report, event, escalated=escalated)
