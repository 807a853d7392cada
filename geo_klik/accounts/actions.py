"""Writes of the accounts app: role groups and staff accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, User
from django.db import transaction
from rest_framework.authtoken.models import Token

from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency, Membership


def ensure_role_groups() -> dict[str, Group]:
    """One group per role (idempotent)."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL}


def create_staff_user(
    username: str, *, role: str, password: str, agency: Agency | None = None, email: str = ""
) -> AbstractUser:
    """A staff account in one role group, linked to an agency if given."""
    if role not in roles.ALL:
        raise ValueError(f"unknown role {role!r}")
    if role == roles.SKPD_STAFF and agency is None:
        raise ValueError("SKPD staff need an agency")
    groups = ensure_role_groups()
    with transaction.atomic():
        user: AbstractUser = get_user_model().objects.create_user(
            username=username, password=password, email=email
        )
        user.is_staff = role == roles.ADMIN
        user.save(update_fields=["is_staff"])
        user.groups.add(groups[role])
        if agency is not None:
            Membership.objects.create(user=user, agency=agency)  # type: ignore[misc]
    return user


def random_password() -> str:
    """A random password that passes Django's validators (about 96 bits)."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency_code: str | None


# "An operator, a Polsek officer and a Dinas PUPR officer can each work their queue."
DEMO_ACCOUNTS = (
    DemoAccount("demo-operator", roles.OPERATOR, "command-center"),
    DemoAccount("demo-polsek", roles.SKPD_STAFF, "polsek-guguk-panjang"),
    DemoAccount("demo-pupr", roles.SKPD_STAFF, "dinas-pupr"),
    DemoAccount("demo-supervisor", roles.SUPERVISOR, "command-center"),
    DemoAccount("demo-planner", roles.PLANNER, None),
    DemoAccount("demo-moderator", roles.MODERATOR, None),
    DemoAccount("demo-admin", roles.ADMIN, None),
)


@dataclass(frozen=True)
class DemoResult:
    username: str
    role: str
    agency_code: str | None
    password: str | None  # None: the account existed already (its password is unchanged)


def create_demo_accounts(*, reset: bool = False) -> list[DemoResult]:
    """Create the missing demo accounts with random passwords; ``reset`` renews them all.

    Idempotent: an existing account keeps its password and is reported with ``password=None``.
    An SKPD account whose agency is not loaded yet is skipped.
    """
    ensure_role_groups()
    model = get_user_model()
    results = []
    for demo in DEMO_ACCOUNTS:
        agency = None
        if demo.agency_code is not None:
            agency = Agency.objects.filter(code=demo.agency_code).first()
            if agency is None and demo.role == roles.SKPD_STAFF:
                continue
        existing = model.objects.filter(username=demo.username).first()
        password: str | None = None
        if existing is None:
            password = random_password()
            create_staff_user(demo.username, role=demo.role, password=password, agency=agency)
        elif reset:
            password = random_password()
            existing.set_password(password)
            existing.save(update_fields=["password"])
        results.append(DemoResult(demo.username, demo.role, demo.agency_code, password))
    return results


def issue_api_token(user: User) -> Token:
    """A new API token for this log-in; the user's previous token stops working."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
