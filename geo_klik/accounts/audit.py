"""The audit log's one write: ``record`` an action of a staff member."""

from __future__ import annotations

from typing import Any

from django.db import models

from geo_klik.accounts import roles
from geo_klik.accounts.models import AuditLog


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    address: str | None = None,
) -> AuditLog:
    """Insert one audit entry; call it inside the action's transaction so both commit or not."""
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agency_id=roles.agency_id_of(actor),
        before=before or {},
        after=after or {},
        note=note[:2000],
        address=address or None,
    )
