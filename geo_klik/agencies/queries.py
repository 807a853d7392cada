"""Reads of agencies and memberships."""

from __future__ import annotations

from geo_klik.agencies.models import Membership


def agency_id_of_user(user_id: int) -> int | None:
    """The id of the agency a staff account works for, or None."""
    return Membership.objects.filter(user_id=user_id).values_list("agency_id", flat=True).first()
