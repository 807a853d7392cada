"""Personal data under UU No. 27/2022: a reporter's contact details, deleted when no longer needed.

*Contact details* are the report's ``reporter_name``, ``reporter_phone`` and ``reporter_email``
and its ``ReporterContact`` (e-mail, phone, push subscription, language, chosen channels). They
serve notifications only, so they go ``NOTIFY_CONTACT_RETENTION_DAYS`` after the report was
closed (closed, rejected or merged: ``queries.contacts_expired``; a Celery beat job), or at
once when the reporter deletes them from /lacak/. What stays is what holds no contact: the
report itself (category, place, description, photos, timeline), the hash of the reporter's
secret, and the record of messages sent (when, which events, per channel its status, attempts
and the error's kind; never an address, number or subscription).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from geo_klik.notify import queries
from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent

RETENTION_NOTE = (
    "Data kontak pelapor dihapus: {days} hari setelah laporan ditutup. / "
    "The reporter's contact details were deleted {days} days after the report was closed."
)
FORGOTTEN_NOTE = "Pelapor menghapus data kontaknya. / The reporter deleted their contact details."


def erase_contacts(report_ids: Sequence[int], *, note: str) -> int:
    """Delete every contact detail of these reports, with an internal note on each; how many."""
    ids = list(report_ids)
    with transaction.atomic():
        ReporterContact.objects.filter(report_id__in=ids).delete()
        report_actions.erase_reporter_details(ids)
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report_id=pk,
                kind=ReportEvent.Kind.NOTE,
                actor=ReportEvent.Actor.SYSTEM,
                public=False,
                note=note,
            )
            for pk in ids
        )
    return len(ids)


def forget_expired_contacts(*, now: datetime | None = None, limit: int = 1000) -> int:
    """The beat job: contact details of reports closed longer ago than the retention; how many."""
    days = settings.NOTIFY_CONTACT_RETENTION_DAYS
    ids = queries.contacts_expired(now=now or timezone.now(), retention_days=days, limit=limit)
    if not ids:
        return 0
    return erase_contacts(ids, note=RETENTION_NOTE.format(days=days))


def forget_reporter(report: Report) -> bool:
    """The reporter deletes their contact details of this report; whether there were any."""
    had = queries.has_contact_details(report.pk)
    if had:
        erase_contacts([report.pk], note=FORGOTTEN_NOTE)
    return had
