"""Named staff personas on the tiny city, for the control-room tests.

Two agencies split the city: Dinas PUPR takes road damage in kecamatan Barat, the Polsek takes
crime in kecamatan Timur; the Command Center triages the rest. Import the fixtures you use:
``from tests.personas import personas  # noqa: F401``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from rest_framework.test import APIClient

from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.dispatch.actions import routes
from geo_klik.reports.models import Report
from tests.dispatch.conftest import MakeJurisdiction, MakeReport, Zones

PASSWORD = "correct horse battery staple"

# Points in the tiny city: Barat Utara, Timur Utara.
BARAT = (-0.005, 100.005)
TIMUR = (-0.005, 100.015)


@dataclass
class Personas:
    operator: AbstractUser
    operator2: AbstractUser
    pupr: AbstractUser
    pupr2: AbstractUser
    polsek: AbstractUser
    supervisor: AbstractUser
    planner: AbstractUser
    admin: AbstractUser
    outsider: AbstractUser  # logged in, no role
    command_center: Agency
    pupr_agency: Agency
    polsek_agency: Agency

    def client(self, user: AbstractUser | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


@pytest.fixture
def personas(
    settings: Any,
    zones: Zones,
    make_jurisdiction: MakeJurisdiction,
    command_center: Agency,
    django_user_model: Any,
) -> Personas:
    # Hashing nine passwords with PBKDF2 would cost seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    pupr = make_jurisdiction("dinas-pupr", zones.barat, primary=["road_damage"]).jurisdiction.agency
    polsek = make_jurisdiction("polsek-timur", zones.timur, primary=["crime"]).jurisdiction.agency

    def user(name: str, role: str | None, agency: Agency | None = None) -> AbstractUser:
        if role is None:
            made: AbstractUser = django_user_model.objects.create_user(name, password=PASSWORD)
            return made
        return account_actions.create_staff_user(
            name, role=role, password=PASSWORD, agency=agency, email=f"{name}@example.org"
        )

    return Personas(
        operator=user("operator", roles.OPERATOR, command_center),
        operator2=user("operator2", roles.OPERATOR, command_center),
        pupr=user("pupr", roles.SKPD_STAFF, pupr),
        pupr2=user("pupr2", roles.SKPD_STAFF, pupr),
        polsek=user("polsek", roles.SKPD_STAFF, polsek),
        supervisor=user("supervisor", roles.SUPERVISOR, command_center),
        planner=user("planner", roles.PLANNER),
        admin=user("admin", roles.ADMIN),
        outsider=user("outsider", None),
        command_center=command_center,
        pupr_agency=pupr,
        polsek_agency=polsek,
    )


@pytest.fixture
def routed_report(make_report: MakeReport) -> Any:
    """Make a report at a point and route it now: ``routed_report(BARAT, "road_damage")``."""

    def make(where: tuple[float, float], category: str, **fields: Any) -> Report:
        report = make_report(where[0], where[1], category, **fields)
        routes.route_report(report.pk)
        report.refresh_from_db()
        return report

    return make
