"""Staff roles, one Django group each, and what each role may see.

- operator: Command Center; every report and every unit.
- skpd_staff: one agency's reports (assigned to it, primary or supporting) and units only.
- supervisor: like an operator, plus the audit log; receives escalations.
- planner: aggregates only, never a single report or personal data.
- moderator: the community forum and business listings (hide, flag review, ban, claims).
- admin: everything (also Django superusers).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from geo_klik.agencies import queries as agency_queries

OPERATOR = "operator"
SKPD_STAFF = "skpd_staff"
SUPERVISOR = "supervisor"
PLANNER = "planner"
MODERATOR = "moderator"
ADMIN = "admin"
ALL = (OPERATOR, SKPD_STAFF, SUPERVISOR, PLANNER, MODERATOR, ADMIN)

LABELS = {
    OPERATOR: "Operator Command Center / Command Center operator",
    SKPD_STAFF: "Petugas SKPD / SKPD staff",
    SUPERVISOR: "Supervisor",
    PLANNER: "Perencana / Planner",
    MODERATOR: "Moderator komunitas & usaha / Community and business moderator",
    ADMIN: "Administrator",
}

# Roles that see every report and unit of the city.
CITY_WIDE = frozenset({OPERATOR, SUPERVISOR, ADMIN})
# Roles that moderate community posts and business listings.
MODERATING = frozenset({MODERATOR, SUPERVISOR, ADMIN})
# Roles that work reports (read them one by one and change them).
WORKING = frozenset({OPERATOR, SKPD_STAFF, SUPERVISOR, ADMIN})

User = AbstractBaseUser | AnonymousUser


def roles_of(user: Any) -> frozenset[str]:
    """The role names of a user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_geo_klik_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ALL).values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._geo_klik_roles = cached
    return cached


def has_any(user: Any, roles: frozenset[str] | tuple[str, ...]) -> bool:
    return bool(roles_of(user) & set(roles))


def is_city_wide(user: Any) -> bool:
    return has_any(user, CITY_WIDE)


def agency_id_of(user: Any) -> int | None:
    """The agency the user works for (Membership), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_geo_klik_agency_id", 0)
    if cached == 0:
        cached = agency_queries.agency_id_of_user(user.pk)
        user._geo_klik_agency_id = cached
    return cached
