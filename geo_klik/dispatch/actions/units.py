"""Writes of field units: a phone reports where its unit is and what it is doing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from geo_klik.accounts import audit, roles
from geo_klik.dispatch.actions.workflow import MissingInput, NotAllowed, NotVisible
from geo_klik.dispatch.models import Unit
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
