"""Service-level checks run by Celery beat every minute: escalation and overdue resolutions.

A report not acknowledged within its category's ladder (``EscalationStep``; by default one
step at ``Category.ack_target`` notifying supervisors) climbs one level per step passed: its
``Handling`` is flagged (the console highlights it), an internal timeline event is written and
the step's audience is notified. A report still open after ``Category.resolve_target`` is
flagged overdue once. Each flag is set by a conditional ``update`` whose row count says who
won, so two overlapping checks never escalate the same report twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.utils import timezone

from geo_klik.dispatch.actions import notifications
from geo_klik.dispatch.models import EscalationStep, Handling
from geo_klik.reports.models import Category, Report, ReportEvent

S = Report.Status
UNACKNOWLEDGED = (S.RECEIVED, S.ROUTED, S.TRIAGE, S.TRANSFERRED)
UNRESOLVED = (
    S.RECEIVED,
    S.ROUTED,
    S.TRIAGE,
    S.TRANSFERRED,
    S.ACKNOWLEDGED,
    S.DISPATCHED,
    S.ON_SCENE,
)


@dataclass(frozen=True)
class Rung:
    """One step of a ladder, resolved for a category."""

    level: int
    after: timedelta
    notify: str


def ladder(category: Category, steps: list[EscalationStep] | None = None) -> list[Rung]:
    """The category's ladder, lowest level first (the default when none is configured)."""
    if steps is None:
        steps = list(category.escalation_steps.all())
    if not steps:
        return [Rung(1, category.ack_target, EscalationStep.Audience.SUPERVISORS)]
    return sorted((Rung(s.level, s.after, s.notify) for s in steps), key=lambda r: r.level)


def reached(rungs: list[Rung], age: timedelta) -> Rung | None:
    """The highest rung whose delay has passed."""
    passed = [r for r in rungs if age >= r.after]
    return passed[-1] if passed else None


def check(*, now: datetime | None = None) -> dict[str, int]:
    """Escalate and flag what is due; counts of what this run changed."""
    now = now or timezone.now()
    return {"escalated": escalate_unacknowledged(now=now), "overdue": flag_overdue(now=now)}


def escalate_unacknowledged(*, now: datetime) -> int:
    ladders: dict[int, list[Rung]] = {}
    steps: dict[int, list[EscalationStep]] = {}
    for step in EscalationStep.objects.all():
        steps.setdefault(step.category_id, []).append(step)
    for category in Category.objects.all():
        ladders[category.pk] = ladder(category, steps.get(category.pk, []))
    first_due = min((r[0].after for r in ladders.values()), default=timedelta(0))
    candidates = Report.objects.filter(
        status__in=UNACKNOWLEDGED, created_at__lte=now - first_due
    ).select_related("category", "handling")
    changed = 0
    for report in candidates.iterator(chunk_size=500):
        rung = reached(ladders[report.category_id], now - report.created_at)
        if rung is not None and escalate(report, rung, now=now):
            changed += 1
    return changed


def escalate(report: Report, rung: Rung, *, now: datetime) -> bool:
    """Raise the report to `rung` unless it is there already; True if this call did it."""
    with transaction.atomic():
        Handling.objects.get_or_create(report=report)
        won = Handling.objects.filter(Q(escalation_level__lt=rung.level), report=report).update(
            escalation_level=rung.level, escalated_at=now
        )
        if not won:
            return False
        minutes = int(rung.after.total_seconds() // 60)
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.NOTE,
            actor=ReportEvent.Actor.SYSTEM,
            public=False,
            note=(
                f"Eskalasi tingkat {rung.level}: belum ditangani setelah {minutes} menit. / "
                f"Escalation level {rung.level}: not acknowledged after {minutes} minutes."
            ),
        )
        key = f"L{rung.level}"
        if rung.notify in (EscalationStep.Audience.SUPERVISORS, EscalationStep.Audience.BOTH):
            notifications.notify_supervisors(report, kind="escalated", key=key)
        if rung.notify in (EscalationStep.Audience.AGENCY, EscalationStep.Audience.BOTH):
            for assignment in report.assignments.filter(active=True, role="primary"):
                notifications.notify_agency(report, assignment.agency, kind="escalated", key=key)
    return True


def flag_overdue(*, now: datetime) -> int:
    changed = 0
    # In SQL: created_at + the category's target has passed (no Python loop over all).
    due = ExpressionWrapper(
        Value(now) - F("category__resolve_target"), output_field=DateTimeField()
    )
    candidates = (
        Report.objects.filter(status__in=UNRESOLVED, created_at__lte=due)
        .exclude(handling__resolve_overdue_at__isnull=False)
        .order_by()
    )
    for report in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            Handling.objects.get_or_create(report=report)
            if not Handling.objects.filter(report=report, resolve_overdue_at__isnull=True).update(
                resolve_overdue_at=now
            ):
                continue
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.NOTE,
                actor=ReportEvent.Actor.SYSTEM,
                public=False,
                note="Melewati target penyelesaian. / Resolution target passed.",
            )
        changed += 1
    return changed
