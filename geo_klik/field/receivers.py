"""Receivers of dispatch's signals: a new dispatch is an alert for the unit's officer."""

from __future__ import annotations

from typing import Any

from geo_klik.dispatch.models import UnitAssignment
from geo_klik.field import actions


def alert_officers(sender: Any, *, assignments: list[UnitAssignment], **kwargs: Any) -> None:
    actions.create_alerts(assignments)
