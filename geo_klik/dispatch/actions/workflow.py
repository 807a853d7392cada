"""The staff workflow of a report: claim (acknowledge), dispatch, on scene, resolve, close,
reject, transfer to another SKPD and merge duplicates.

Every step is a function here that validates the transition on the server, takes the
report's row lock, changes the status through ``reports.actions.change_status`` (status and
timeline event together, ``actor=staff`` with the agency), and writes an audit entry, all in
one transaction. Who may do what:

- view: city-wide roles (operator, supervisor, admin) every report; SKPD staff the reports
  their agency has an active assignment on (primary or supporting);
- act: city-wide roles, or SKPD staff of the report's primary agency;
- after a claim, only the claimant (or a supervisor or admin) moves the report on; closing a
  resolved report is also open to the Command Center (operators check resolutions);
- a field officer on duty with a unit dispatched to the report (``officer_unit``) acts on it
  like the claimant: the steps a unit takes in the field (on scene, resolve, unable to resolve)
  are the same functions, checked by the same rules, as the console's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from geo_klik.accounts import audit, roles
from geo_klik.agencies.models import Agency
from geo_klik.dispatch import signals, unit_signals
from geo_klik.dispatch.actions import notifications
from geo_klik.dispatch.models import (
    Assignment,
    Handling,
    RoutingDecision,
    Shift,
    Unit,
    UnitAssignment,
)
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent

S = Report.Status
CLAIMABLE = frozenset({S.RECEIVED, S.ROUTED, S.TRIAGE, S.TRANSFERRED})
WORKING = frozenset({S.ACKNOWLEDGED, S.DISPATCHED, S.ON_SCENE})
OPEN = frozenset(Report.OPEN_STATUSES)
OVERRIDE_ROLES = frozenset({roles.SUPERVISOR, roles.ADMIN})


class WorkflowError(Exception):
    """A step refused, with a bilingual reason and the HTTP status that fits it."""

    status_code = 409
    code = "invalid_transition"

    def __init__(self, message_id: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_en)
        self.message_id, self.message_en, self.field = message_id, message_en, field


class NotAllowed(WorkflowError):
    """The user may not do this to this report."""

    status_code = 403
    code = "permission_denied"


class NotVisible(WorkflowError):
    """The report does not exist for this user (another agency's report: no leak)."""

    status_code = 404
    code = "not_found"


class AlreadyClaimed(WorkflowError):
    """Someone else acknowledged the report first."""

    code = "already_claimed"


class InvalidTransition(WorkflowError):
    """The report's status does not allow this step."""


class MissingInput(WorkflowError):
    """A required reason, note or target is missing or wrong."""

    status_code = 400
    code = "invalid"


def can_view(user: Any, report: Report) -> bool:
    if roles.is_city_wide(user):
        return True
    agency_id = roles.agency_id_of(user)
    if agency_id is None or not roles.has_any(user, (roles.SKPD_STAFF,)):
        return False
    return report.assignments.filter(active=True, agency_id=agency_id).exists()


def primary_agency_id(report: Report) -> int | None:
    return (
        report.assignments.filter(active=True, role=Assignment.Role.PRIMARY)
        .values_list("agency_id", flat=True)
        .first()
    )


def can_act(user: Any, report: Report) -> bool:
    if roles.is_city_wide(user):
        return True
    agency_id = roles.agency_id_of(user)
    return (
        agency_id is not None
        and roles.has_any(user, (roles.SKPD_STAFF,))
        and primary_agency_id(report) == agency_id
    )


def officer_unit(user: Any, report_id: int) -> Unit | None:
    """The unit the user is on duty with, if it is dispatched to this report now."""
    if not getattr(user, "is_authenticated", False):
        return None
    shift = Shift.objects.filter(
        officer=user,
        ended_at=None,
        unit__assignments__report_id=report_id,
        unit__assignments__released_at=None,
    ).first()
    return None if shift is None else Unit.objects.get(pk=shift.unit_id)


def _not_visible() -> NotVisible:
    return NotVisible("Laporan tidak ditemukan.", "Report not found.")


def _locked(report_id: int, user: Any) -> tuple[Report, Handling]:
    """The report under its row lock, and its handling row; NotVisible/NotAllowed first."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise _not_visible()
    in_field = officer_unit(user, report.pk) is not None
    if not (in_field or can_view(user, report)):
        raise _not_visible()
    if not (in_field or can_act(user, report)):
        raise NotAllowed(
            "Hanya SKPD utama laporan ini atau Command Center yang dapat melakukannya.",
            "Only the report's primary agency or the Command Center can do this.",
        )
    handling, _ = Handling.objects.get_or_create(report=report)
    return report, handling


def _require_claimant(user: Any, handling: Handling, *, field_step: bool = False) -> None:
    if handling.claimed_by_id not in (None, user.pk) and not roles.has_any(user, OVERRIDE_ROLES):
        if field_step and officer_unit(user, handling.report_id) is not None:
            return  # the officer of a unit sent to it acts for the claimant in the field
        raise NotAllowed(
            "Laporan ini ditangani petugas lain.",
            "Another staff member has claimed this report.",
        )


def _require_status(report: Report, allowed: frozenset[str], step_id: str, step_en: str) -> None:
    if report.status not in allowed:
        label = S(report.status).label
        raise InvalidTransition(
            f"Tidak dapat {step_id} laporan berstatus {label}.",
            f"Cannot {step_en} a report whose status is {label}.",
        )


def _require_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MissingInput(f"{field} wajib diisi.", f"{field} is required.", field=field)
    return value


def _event_agency_id(user: Any, report: Report) -> int | None:
    return roles.agency_id_of(user) or primary_agency_id(report)


def snapshot(report: Report, handling: Handling) -> dict[str, Any]:
    """What the audit log records before and after a step."""
    return {
        "status": report.status,
        "claimed_by": handling.claimed_by_id,
        "primary_agency": primary_agency_id(report),
        "duplicate_of": handling.duplicate_of_id,
    }


@dataclass(frozen=True)
class Step:
    report: Report
    event: ReportEvent


def _move(
    report: Report,
    handling: Handling,
    status: str,
    *,
    user: Any,
    action: str,
    before: dict[str, Any],
    note: str = "",
    address: str | None = None,
) -> Step:
    event = report_actions.change_status(
        report,
        status,
        actor=ReportEvent.Actor.STAFF,
        note=note,
        agency_id=_event_agency_id(user, report),
    )
    audit.record(
        user,
        action,
        report,
        before=before,
        after=snapshot(report, handling),
        note=note,
        address=address,
    )
    return Step(report, event)


def acknowledge(report_id: int, *, user: Any, address: str | None = None) -> Step:
    """Claim the report for this user: exactly one of two concurrent claims wins."""
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        if handling.claimed_by_id is not None:
            raise AlreadyClaimed(
                "Laporan ini sudah ditangani petugas lain.",
                "Another staff member has already claimed this report.",
            )
        _require_status(report, CLAIMABLE, "menangani", "acknowledge")
        before = snapshot(report, handling)
        handling.claimed_by = user
        handling.claimed_agency_id = _event_agency_id(user, report)
        handling.claimed_at = timezone.now()
        handling.save(update_fields=["claimed_by", "claimed_agency", "claimed_at"])
        return _move(
            report,
            handling,
            S.ACKNOWLEDGED,
            user=user,
            action="acknowledge",
            before=before,
            address=address,
        )


def assign_units(
    report_id: int, *, user: Any, unit_ids: list[int], address: str | None = None
) -> Step:
    """Send available units of the report's assigned agencies; the report becomes dispatched."""
    if not unit_ids:
        raise MissingInput("Pilih minimal satu unit.", "Choose at least one unit.", field="units")
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        _require_claimant(user, handling)
        _require_status(report, WORKING, "mengirim unit ke", "dispatch units to")
        agencies = set(report.assignments.filter(active=True).values_list("agency_id", flat=True))
        units = list(Unit.objects.select_for_update().filter(pk__in=unit_ids).order_by("pk"))
        if len(units) != len(set(unit_ids)) or any(u.agency_id not in agencies for u in units):
            raise MissingInput(
                "Unit tidak dikenal atau bukan milik SKPD yang ditugaskan.",
                "Unknown unit, or not a unit of an assigned agency.",
                field="units",
            )
        busy = [u.call_sign for u in units if u.status != Unit.Status.AVAILABLE]
        if busy:
            raise InvalidTransition(
                f"Unit tidak siaga: {', '.join(busy)}.", f"Units not available: {', '.join(busy)}."
            )
        before = snapshot(report, handling)
        made = UnitAssignment.objects.bulk_create(
            UnitAssignment(unit=u, report=report, assigned_by=user) for u in units
        )
        Unit.objects.filter(pk__in=[u.pk for u in units]).update(
            status=Unit.Status.DISPATCHED, updated_at=timezone.now()
        )
        note = "Unit: " + ", ".join(u.call_sign for u in units)
        unit_signals.units_dispatched.send(sender=UnitAssignment, assignments=made, report=report)
        if report.status == S.ACKNOWLEDGED:
            return _move(
                report,
                handling,
                S.DISPATCHED,
                user=user,
                action="assign_units",
                before=before,
                note=note,
                address=address,
            )
        event = report_actions.add_agency_note(
            report, agency_id=_event_agency_id(user, report) or 0, note=note
        )
        audit.record(user, "assign_units", report, before=before, after=before, note=note)
        return Step(report, event)


def arrive(report_id: int, *, user: Any, address: str | None = None) -> Step:
    """The dispatched units reached the scene."""
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        _require_claimant(user, handling, field_step=True)
        _require_status(report, frozenset({S.DISPATCHED}), "menandai tiba", "mark on scene")
        before = snapshot(report, handling)
        Unit.objects.filter(
            assignments__report=report, assignments__released_at__isnull=True
        ).update(status=Unit.Status.ON_SCENE, updated_at=timezone.now())
        UnitAssignment.objects.filter(
            report=report, released_at__isnull=True, arrived_at__isnull=True
        ).update(arrived_at=timezone.now())
        return _move(
            report,
            handling,
            S.ON_SCENE,
            user=user,
            action="arrive",
            before=before,
            address=address,
        )


def _release_units(report: Report) -> None:
    active = UnitAssignment.objects.filter(report=report, released_at__isnull=True)
    unit_ids = list(active.values_list("unit_id", flat=True))
    active.update(released_at=timezone.now())
    Unit.objects.filter(pk__in=unit_ids).exclude(status=Unit.Status.OFF_DUTY).update(
        status=Unit.Status.AVAILABLE, updated_at=timezone.now()
    )


def resolve(
    report_id: int,
    *,
    user: Any,
    note: str,
    photo: report_actions.NewPhoto | None = None,
    address: str | None = None,
) -> Step:
    """Resolve with a note (required) and an optional after-photo; the units are freed."""
    note = _require_text(note, "note")
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        _require_claimant(user, handling, field_step=True)
        _require_status(report, WORKING, "menyelesaikan", "resolve")
        before = snapshot(report, handling)
        _release_units(report)
        step = _move(
            report,
            handling,
            S.RESOLVED,
            user=user,
            action="resolve",
            before=before,
            note=note,
            address=address,
        )
        if photo is not None:
            report_actions.store_photo(report, photo, event=step.event)
        return step


def close(report_id: int, *, user: Any, note: str = "", address: str | None = None) -> Step:
    """Close a resolved report (the resolution was checked)."""
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        if not roles.is_city_wide(user):  # the Command Center checks and closes any resolution
            _require_claimant(user, handling)
        _require_status(report, frozenset({S.RESOLVED}), "menutup", "close")
        before = snapshot(report, handling)
        return _move(
            report,
            handling,
            S.CLOSED,
            user=user,
            action="close",
            before=before,
            note=note.strip(),
            address=address,
        )


def reject(report_id: int, *, user: Any, reason: str, address: str | None = None) -> Step:
    """Reject an open report (not an incident, out of scope), with a reason."""
    reason = _require_text(reason, "reason")
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        _require_claimant(user, handling)
        _require_status(report, OPEN, "menolak", "reject")
        before = snapshot(report, handling)
        _release_units(report)
        return _move(
            report,
            handling,
            S.REJECTED,
            user=user,
            action="reject",
            before=before,
            note=reason,
            address=address,
        )


def transfer(
    report_id: int, *, user: Any, agency: Agency, reason: str, address: str | None = None
) -> Step:
    """Hand an open report to another SKPD (routing got it wrong), with a reason.

    The current routing decision is retired and a manual one (rule "manual") made, which
    ``reroute`` never undoes; the claim is released and the new agency is notified.
    """
    reason = _require_text(reason, "reason")
    if not agency.active:
        raise MissingInput(
            "SKPD tujuan tidak aktif.", "The target agency is inactive.", field="agency"
        )
    with transaction.atomic():
        report, handling = _locked(report_id, user)
        _require_claimant(user, handling)
        _require_status(report, OPEN, "mengalihkan", "transfer")
        if primary_agency_id(report) == agency.pk:
            raise MissingInput(
                "Laporan sudah ditangani SKPD itu.",
                "The report is already with that agency.",
                field="agency",
            )
        before = snapshot(report, handling)
        supporting = list(
            report.assignments.filter(active=True, role=Assignment.Role.SUPPORTING)
            .exclude(agency=agency)
            .values_list("agency_id", flat=True)
        )
        report.routing_decisions.filter(is_current=True).update(is_current=False)
        report.assignments.filter(active=True).update(active=False)
        decision = RoutingDecision.objects.create(
            report=report,
            rule=RoutingDecision.Rule.MANUAL,
            candidates=[{"agency_id": agency.pk, "agency_code": agency.code}],
            note=reason[:500],
        )
        primary = Assignment(
            report=report, agency=agency, role=Assignment.Role.PRIMARY, decision=decision
        )
        Assignment.objects.bulk_create(
            [primary]
            + [
                Assignment(
                    report=report, agency_id=a, role=Assignment.Role.SUPPORTING, decision=decision
                )
                for a in supporting
            ]
        )
        _release_units(report)
        handling.claimed_by, handling.claimed_agency, handling.claimed_at = None, None, None
        handling.save(update_fields=["claimed_by", "claimed_agency", "claimed_at"])
        step = _move(
            report,
            handling,
            S.TRANSFERRED,
            user=user,
            action="transfer",
            before=before,
            note=f"{agency.name_id}: {reason}",
            address=address,
        )
        if agency.pk not in signals.agencies_delivering_themselves([primary]):
            notifications.notify_agency(report, agency, kind="transferred", key=str(decision.pk))
        return step


def merge(
    report_id: int, *, user: Any, into_id: int, note: str = "", address: str | None = None
) -> Step:
    """Mark a report as a duplicate of another (kept open) report; the two are linked."""
    if report_id == into_id:
        raise MissingInput(
            "Laporan tidak dapat digabung dengan dirinya sendiri.",
            "A report cannot be merged into itself.",
            field="into",
        )
    with transaction.atomic():
        # Lock both rows in id order, so two opposite merges cannot deadlock.
        list(
            Report.objects.select_for_update(of=("self",))
            .filter(pk__in=[report_id, into_id])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        target = Report.objects.filter(pk=into_id).first()
        if target is None or not can_view(user, target):
            raise MissingInput(
                "Laporan tujuan tidak ditemukan.", "Target report not found.", field="into"
            )
        if target.status in (S.DUPLICATE, S.REJECTED):
            raise MissingInput(
                "Laporan tujuan sendiri duplikat atau ditolak.",
                "The target report is itself a duplicate or rejected.",
                field="into",
            )
        report, handling = _locked(report_id, user)
        _require_claimant(user, handling)
        _require_status(report, OPEN, "menggabungkan", "merge")
        before = snapshot(report, handling)
        handling.duplicate_of = target
        handling.save(update_fields=["duplicate_of"])
        _release_units(report)
        text = f"Duplikat dari / duplicate of {target.tracking_code}"
        return _move(
            report,
            handling,
            S.DUPLICATE,
            user=user,
            action="merge",
            before=before,
            note=f"{text}. {note.strip()}".strip(". ") if note.strip() else text,
            address=address,
        )
