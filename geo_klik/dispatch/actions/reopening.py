"""What a reporter's "not fixed" does on the dispatch side, in the transaction that reopens it.

The first "not fixed" sends the report back to its agency's queue: the claim is released (the
agency acknowledges it again) and the primary agency is told. A later one does not reopen it
(``reports.actions.reopen_report`` puts it in ``triage``): the Command Center's supervisors are
told, and an internal timeline entry says why it is there, which the console shows.
"""

from __future__ import annotations

from geo_klik.dispatch.actions import notifications
from geo_klik.dispatch.models import Assignment, Handling
from geo_klik.reports.models import Report, ReportEvent

SECOND_NOT_FIXED_NOTE = (
    "Pelapor kembali menyatakan belum beres: laporan tidak dibuka ulang untuk SKPD, tetapi "
    "diteruskan ke supervisor Command Center. / The reporter said again that it is not fixed: "
    "instead of reopening it for the agency, the report goes to the Command Center's supervisor."
)


def after_reopen(report: Report, event: ReportEvent, *, escalated: bool) -> None:
    """Release the claim, then tell the agency (first time) or the supervisors (later)."""
    Handling.objects.filter(report=report).update(
        claimed_by=None, claimed_agency=None, claimed_at=None
    )
    key = str(event.pk)
    if not escalated:
        primaries = Assignment.objects.filter(
            report=report, active=True, role=Assignment.Role.PRIMARY
        ).select_related("agency")
        for assignment in primaries:
            notifications.notify_agency(report, assignment.agency, kind="reopened", key=key)
        return
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.NOTE,
        actor=ReportEvent.Actor.SYSTEM,
        public=False,
        note=SECOND_NOT_FIXED_NOTE,
    )
    notifications.notify_supervisors(report, kind="not_fixed_again", key=key)
