"""The steps a unit's officer takes from the field: en route, on scene, need support, unable.

Resolving from the field is ``workflow.resolve`` itself. Each step here goes through
``workflow._locked`` and ``workflow._require_claimant`` like the console's steps (same view and
act rules; the officer of a unit dispatched to the report acts for the claimant) and adds the
unit's own part: its status, its arrival time, its request for support, its release.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from geo_klik.accounts import audit
from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.actions.workflow import S, Step
from geo_klik.dispatch.models import Unit, UnitAssignment
from geo_klik.reports.models import Report, ReportEvent


class NotYourUnit(workflow.NotAllowed):
    """The officer is not on duty with a unit dispatched to this report."""

    code = "not_dispatched_to_you"


def _my_assignment(report: Report, user: Any) -> UnitAssignment:
    unit = workflow.officer_unit(user, report.pk)
    if unit is None:
        raise NotYourUnit(
            "Unit Anda tidak ditugaskan ke laporan ini.",
            "Your unit is not dispatched to this report.",
        )
    return (
        UnitAssignment.objects.select_for_update()
        .select_related("unit")
        .get(unit=unit, report=report, released_at=None)
    )


def _note(
    report: Report, user: Any, text: str, *, public: bool, address: str | None, action: str
) -> Step:
    event = ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.NOTE,
        actor=ReportEvent.Actor.STAFF,
        agency_id=workflow._event_agency_id(user, report),
        note=text,
        public=public,
    )
    audit.record(user, action, report, note=text, address=address)
    return Step(report, event)


def _set_unit_status(unit: Unit, status: str) -> None:
    Unit.objects.filter(pk=unit.pk).update(status=status, updated_at=timezone.now())


def en_route(report_id: int, *, user: Any, address: str | None = None) -> Step:
    """The unit set off to the scene: its status, and a public note on the timeline."""
    with transaction.atomic():
        report, _ = workflow._locked(report_id, user)
        job = _my_assignment(report, user)
        workflow._require_status(
            report, frozenset({S.DISPATCHED, S.ON_SCENE}), "berangkat ke", "set off to"
        )
        if job.arrived_at is not None:
            raise workflow.InvalidTransition(
                "Unit Anda sudah tiba di lokasi.", "Your unit is on scene already."
            )
        if job.unit.status == Unit.Status.EN_ROUTE:
            return Step(report, report.events.order_by("-created_at", "-id")[0])
        _set_unit_status(job.unit, Unit.Status.EN_ROUTE)
        text = f"Unit {job.unit.call_sign} dalam perjalanan / on its way"
        return _note(report, user, text, public=True, address=address, action="unit_en_route")


def on_scene(report_id: int, *, user: Any, address: str | None = None) -> Step:
    """The unit reached the scene; the first unit there puts the report on scene."""
    with transaction.atomic():
        report, handling = workflow._locked(report_id, user)
        job = _my_assignment(report, user)
        workflow._require_status(
            report, frozenset({S.DISPATCHED, S.ON_SCENE}), "menandai tiba", "mark on scene"
        )
        if job.arrived_at is None:
            job.arrived_at = timezone.now()
            job.save(update_fields=["arrived_at"])
        _set_unit_status(job.unit, Unit.Status.ON_SCENE)
        if report.status == S.DISPATCHED:
            before = workflow.snapshot(report, handling)
            return workflow._move(
                report,
                handling,
                S.ON_SCENE,
                user=user,
                action="arrive",
                before=before,
                note=f"Unit {job.unit.call_sign}",
                address=address,
            )
        text = f"Unit {job.unit.call_sign} tiba di lokasi / on scene"
        return _note(report, user, text, public=True, address=address, action="unit_on_scene")


def need_support(report_id: int, *, user: Any, reason: str, address: str | None = None) -> Step:
    """Ask the Command Center for another unit: flagged on the console, not on the public page."""
    reason = workflow._require_text(reason, "reason")
    with transaction.atomic():
        report, _ = workflow._locked(report_id, user)
        job = _my_assignment(report, user)
        workflow._require_status(
            report,
            frozenset({S.DISPATCHED, S.ON_SCENE}),
            "meminta bantuan untuk",
            "ask support for",
        )
        job.support_requested_at = timezone.now()
        job.save(update_fields=["support_requested_at"])
        text = f"Unit {job.unit.call_sign} meminta bantuan / asks for support: {reason}"
        return _note(report, user, text, public=False, address=address, action="unit_need_support")


def unable_to_resolve(
    report_id: int, *, user: Any, reason: str, address: str | None = None
) -> Step:
    """The unit cannot resolve it: the unit is freed; the last unit out hands the report back
    to the Command Center (acknowledged again: dispatch another unit, transfer or reject)."""
    reason = workflow._require_text(reason, "reason")
    with transaction.atomic():
        report, handling = workflow._locked(report_id, user)
        job = _my_assignment(report, user)
        workflow._require_status(
            report, frozenset({S.DISPATCHED, S.ON_SCENE}), "melepas", "give up"
        )
        job.released_at = timezone.now()
        job.save(update_fields=["released_at"])
        _set_unit_status(job.unit, Unit.Status.AVAILABLE)
        text = f"Unit {job.unit.call_sign} tidak dapat menyelesaikan / unable to resolve: {reason}"
        step = _note(report, user, text, public=False, address=address, action="unit_unable")
        if UnitAssignment.objects.filter(report=report, released_at=None).exists():
            return step
        before = workflow.snapshot(report, handling)
        return workflow._move(
            report,
            handling,
            S.ACKNOWLEDGED,
            user=user,
            action="unit_unable",
            before=before,
            note="Ditindaklanjuti Command Center / Followed up by the Command Center",
            address=address,
        )
