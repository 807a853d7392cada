"""Writes of field units: a phone reports where its unit is and what it is doing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from geo_klik.accounts import audit, roles
from geo_klik.dispatch.actions.workflow import (
    InvalidTransition,
    MissingInput,
    NotAllowed,
    NotVisible,
    WorkflowError,
)
from geo_klik.dispatch.models import Shift, Unit, UnitAssignment, UnitPosition
from geo_klik.lib import geo

# Statuses a unit may set itself; "dispatched" comes from an operator's assignment only.
SELF_SET = frozenset(
    {Unit.Status.AVAILABLE, Unit.Status.EN_ROUTE, Unit.Status.ON_SCENE, Unit.Status.OFF_DUTY}
)


def can_update(user: Any, unit: Unit) -> bool:
    if roles.is_city_wide(user):
        return True
    return roles.has_any(user, (roles.SKPD_STAFF,)) and roles.agency_id_of(user) == unit.agency_id


def update_unit(
    unit_id: int,
    *,
    user: Any,
    lat: float | None = None,
    lon: float | None = None,
    accuracy_m: float | None = None,
    status: str | None = None,
    address: str | None = None,
) -> Unit:
    """Store a unit's position and/or status.

    Position fixes are frequent, so only status changes go to the audit log.
    """
    if status is not None and status not in SELF_SET:
        raise MissingInput("Status unit tidak valid.", "Invalid unit status.", field="status")
    with transaction.atomic():
        unit = Unit.objects.select_for_update().filter(pk=unit_id).first()
        if unit is None or not (
            roles.is_city_wide(user) or roles.agency_id_of(user) == unit.agency_id
        ):
            raise NotVisible("Unit tidak ditemukan.", "Unit not found.")
        if not can_update(user, unit):
            raise NotAllowed("Anda tidak dapat mengubah unit ini.", "You cannot update this unit.")
        fields = ["updated_at"]
        if lat is not None and lon is not None:
            unit.location = geo.point(lat, lon)
            unit.location_accuracy_m = accuracy_m
            unit.location_at = timezone.now()
            fields += ["location", "location_accuracy_m", "location_at"]
        if status is not None and status != unit.status:
            before = {"status": unit.status}
            unit.status = status
            fields.append("status")
            audit.record(
                user, "unit_status", unit, before=before, after={"status": status}, address=address
            )
        unit.save(update_fields=fields)
    return unit


# A phone sends a fix at most this often or after moving this far (the field page's rule; the
# server keeps a fix only when the unit moved or this long has passed, whatever the phone does).
POSITION_MIN_INTERVAL = timedelta(seconds=15)
POSITION_MIN_MOVE_M = 50.0
# A fix that does not move the unit is stored only this often (its track stays honest, "still
# here" is still known), so a phone stuck in a loop cannot fill the table.
POSITION_UNCHANGED_KEEP = timedelta(minutes=5)
POSITION_RETENTION = timedelta(days=30)
# A fix from further in the phone's future than this is the phone's clock, not news.
CLOCK_SKEW = timedelta(minutes=5)


def open_shift_of(user: Any) -> Shift | None:
    """The user's open shift, with its unit, or None (off duty)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Shift.objects.select_related("unit").filter(officer=user, ended_at=None).first()


def units_to_crew(user: Any) -> list[Unit]:
    """The units of the officer's agency, for choosing one at the start of a shift; the unit
    of the officer's last shift first (the unit is "linked" to the officer that way)."""
    agency_id = roles.agency_id_of(user)
    if agency_id is None or not roles.has_any(user, (roles.SKPD_STAFF,)):
        return []
    units = list(Unit.objects.filter(agency_id=agency_id).defer("location").order_by("call_sign"))
    last_id = (
        Shift.objects.filter(officer=user)
        .order_by("-started_at", "-id")
        .values_list("unit_id", flat=True)
        .first()
    )
    return sorted(units, key=lambda u: u.pk != last_id)


def start_shift(unit_id: int, *, user: Any, address: str | None = None) -> Shift:
    """Go on duty with a unit of the officer's own agency; it becomes available."""
    agency_id = roles.agency_id_of(user)
    if agency_id is None or not roles.has_any(user, (roles.SKPD_STAFF,)):
        raise NotAllowed(
            "Hanya petugas SKPD yang dapat bertugas dengan unit.",
            "Only SKPD staff can go on duty with a unit.",
        )
    with transaction.atomic():
        unit = Unit.objects.select_for_update().filter(pk=unit_id, agency_id=agency_id).first()
        if unit is None:
            raise NotVisible("Unit tidak ditemukan.", "Unit not found.")
        mine = Shift.objects.select_for_update().filter(officer=user, ended_at=None).first()
        if mine is not None and mine.unit_id == unit.pk:
            return mine  # on duty with it already: the same answer, nothing new
        if mine is not None:
            raise InvalidTransition(
                "Anda masih bertugas dengan unit lain: akhiri dulu.",
                "You are still on duty with another unit: go off duty first.",
            )
        if Shift.objects.filter(unit=unit, ended_at=None).exists():
            raise InvalidTransition(
                f"Unit {unit.call_sign} sedang dipakai petugas lain.",
                f"Unit {unit.call_sign} is crewed by another officer.",
            )
        shift = Shift.objects.create(unit=unit, officer=user)
        if unit.status == Unit.Status.OFF_DUTY:
            before = {"status": unit.status}
            unit.status = Unit.Status.AVAILABLE
            unit.save(update_fields=["status", "updated_at"])
            audit.record(user, "unit_on_duty", unit, before=before, after={"status": unit.status})
        return shift


def end_shift(*, user: Any, address: str | None = None) -> Unit | None:
    """Go off duty: the shift ends, the unit is off duty (refused while it has a job)."""
    with transaction.atomic():
        shift = Shift.objects.select_for_update().filter(officer=user, ended_at=None).first()
        if shift is None:
            return None  # off duty already
        unit = Unit.objects.select_for_update().get(pk=shift.unit_id)
        if UnitAssignment.objects.filter(unit=unit, released_at=None).exists():
            raise InvalidTransition(
                "Unit masih punya tugas: selesaikan atau laporkan tidak dapat diselesaikan.",
                "The unit still has a job: resolve it or report it as unable to resolve.",
            )
        shift.ended_at = timezone.now()
        shift.save(update_fields=["ended_at"])
        before = {"status": unit.status}
        unit.status = Unit.Status.OFF_DUTY
        unit.save(update_fields=["status", "updated_at"])
        audit.record(
            user,
            "unit_off_duty",
            unit,
            before=before,
            after={"status": unit.status},
            address=address,
        )
        return unit


class NotOnDuty(WorkflowError):
    """A position or a field step from an officer with no open shift."""

    code = "not_on_duty"


def _not_on_duty() -> NotOnDuty:
    return NotOnDuty(
        "Anda tidak sedang bertugas: posisi tidak dikirim.",
        "You are not on duty: no position is taken.",
    )


def record_position(
    *,
    user: Any,
    lat: float,
    lon: float,
    accuracy_m: float | None = None,
    recorded_at: datetime | None = None,
) -> bool:
    """Store a fix of the officer's unit; False when it was not kept (unchanged, too soon).

    Only an open shift's unit moves; off duty nothing is taken. ``Unit.location`` moves only
    forward in time, so a fix sent late from the offline queue joins the track without
    jumping the marker back.
    """
    now = timezone.now()
    at = min(recorded_at or now, now + CLOCK_SKEW)
    at = max(at, now - POSITION_RETENTION)
    point = geo.point(lat, lon)
    with transaction.atomic():
        # The open shift's unit, locked, in one query (a fix is the most frequent write).
        unit = (
            Unit.objects.select_for_update(of=("self",))
            .only("pk", "agency_id", "location", "location_at")
            .filter(shifts__officer=user, shifts__ended_at=None)
            .first()
        )
        if unit is None:
            raise _not_on_duty()
        if not _worth_keeping(unit, point, at):
            return False
        UnitPosition.objects.create(
            unit=unit, location=point, accuracy_m=accuracy_m, recorded_at=at
        )
        if unit.location_at is None or at >= unit.location_at:
            Unit.objects.filter(pk=unit.pk).update(
                location=point, location_accuracy_m=accuracy_m, location_at=at, updated_at=now
            )
    return True


def _worth_keeping(unit: Unit, point: Any, at: datetime) -> bool:
    if unit.location is None or unit.location_at is None or at < unit.location_at:
        return True
    moved_m = geo.distance_m(unit.location, point)
    if moved_m < 1.0:  # the same place: only an occasional "still here"
        return at - unit.location_at >= POSITION_UNCHANGED_KEEP
    return True


def delete_old_positions(*, now: datetime | None = None, batch: int = 5000) -> int:
    """Delete positions older than ``POSITION_RETENTION``, in batches; how many went."""
    cutoff = (now or timezone.now()) - POSITION_RETENTION
    deleted = 0
    while True:
        ids = list(
            UnitPosition.objects.filter(recorded_at__lt=cutoff).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return deleted
        deleted += UnitPosition.objects.filter(pk__in=ids).delete()[0]
