"""The dispatch fixtures the staff personas build on, and the staff API's hostile-input world."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.models import Unit
from geo_klik.lib import geo
from tests.dispatch.conftest import (  # noqa: F401
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import BARAT, Personas


@pytest.fixture
def no_failed_logins() -> None:
    """The login guard counts failures in the caches: each run starts from none."""
    caches["ratelimit"].clear()
    caches["default"].clear()


@pytest.fixture
def staff_world(personas: Personas, routed_report: Any) -> dict[str, int]:
    report = routed_report(BARAT, "road_damage")
    target = routed_report((BARAT[0] + 0.0005, BARAT[1]), "road_damage")
    done = routed_report((BARAT[0] - 0.0005, BARAT[1]), "road_damage")
    other = routed_report((-0.005, 100.015), "crime")
    unit = Unit.objects.create(
        agency=personas.pupr_agency,
        call_sign="PUPR-1",
        kind=Unit.Kind.CREW,
        status=Unit.Status.AVAILABLE,
        location=geo.point(-0.004, 100.004),
    )
    other_unit = Unit.objects.create(
        agency=personas.polsek_agency,
        call_sign="POL-1",
        kind=Unit.Kind.PATROL,
        status=Unit.Status.AVAILABLE,
        location=geo.point(-0.005, 100.015),
    )
    for row in (report, done):
        workflow.acknowledge(row.pk, user=personas.pupr)
    workflow.resolve(done.pk, user=personas.pupr, note="selesai")
    return {
        "report": report.pk,
        "target": target.pk,
        "done": done.pk,
        "other_report": other.pk,
        "unit": unit.pk,
        "other_unit": other_unit.pk,
    }
