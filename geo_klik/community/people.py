"""How the forum names a person: display name, and the role of a staff member who posts."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from geo_klik.accounts import roles

# Shown next to a staff member's name, most senior first.
ROLE_LABELS: tuple[tuple[str, str | Promise], ...] = (
    (roles.ADMIN, _("City administrator")),
    (roles.SUPERVISOR, _("Supervisor")),
    (roles.MODERATOR, _("Moderator")),
    (roles.OPERATOR, _("Command Center operator")),
    (roles.SKPD_STAFF, _("Agency staff")),
    (roles.PLANNER, _("City planner")),
)


def display_name(user: Any) -> str:
    """The profile's display name, else the username (staff accounts have no profile)."""
    profile = getattr(user, "community_profile", None) if user is not None else None
    if profile is not None and profile.display_name:
        return str(profile.display_name)
    return str(user.get_username()) if user is not None else ""


def role_label(user: Any) -> str:
    """The staff role to show beside a name ("" for a resident)."""
    held = roles.roles_of(user)
    for role, label in ROLE_LABELS:
        if role in held:
            return str(label)
    return ""
