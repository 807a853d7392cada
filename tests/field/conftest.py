"""The field world: PUPR's two units crewed by its two officers, a report dispatched to one."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image
from rest_framework.test import APIClient

from geo_klik.dispatch.actions import units, workflow
from geo_klik.dispatch.models import Unit
from geo_klik.lib import geo
from geo_klik.reports.models import Report
from tests.dispatch.conftest import (  # noqa: F401  (the fixtures the personas build on)
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import BARAT, TIMUR, Personas


@dataclass
class FieldWorld:
    personas: Personas
    unit: Unit  # PUPR-1, crewed by pupr, dispatched to ``report``
    unit2: Unit  # PUPR-2, crewed by pupr2, not dispatched
    police_unit: Unit  # POL-1, crewed by polsek, dispatched to ``police_report``
    report: Report
    police_report: Report

    def client(self, user: Any) -> APIClient:
        return self.personas.client(user)


def make_unit(agency: Any, call_sign: str, where: tuple[float, float]) -> Unit:
    return Unit.objects.create(
        agency=agency,
        call_sign=call_sign,
        kind=Unit.Kind.MOTORBIKE,
        location=geo.point(*where),
    )


def dispatch(report: Report, unit: Unit, operator: Any) -> None:
    workflow.acknowledge(report.pk, user=operator)
    workflow.assign_units(report.pk, user=operator, unit_ids=[unit.pk])


@pytest.fixture
def field(personas: Personas, routed_report: Any) -> FieldWorld:
    return build_field(personas, routed_report)


def build_field(personas: Personas, routed_report: Any) -> FieldWorld:
    p = personas
    unit = make_unit(p.pupr_agency, "PUPR-1", (-0.004, 100.004))
    unit2 = make_unit(p.pupr_agency, "PUPR-2", (-0.006, 100.006))
    police_unit = make_unit(p.polsek_agency, "POL-1", (-0.005, 100.014))
    units.start_shift(unit.pk, user=p.pupr)
    units.start_shift(unit2.pk, user=p.pupr2)
    units.start_shift(police_unit.pk, user=p.polsek)
    report = routed_report(BARAT, "road_damage")
    police_report = routed_report(TIMUR, "crime")
    dispatch(report, unit, p.operator)
    dispatch(police_report, police_unit, p.operator)
    for row in (unit, unit2, police_unit, report, police_report):
        row.refresh_from_db()
    return FieldWorld(p, unit, unit2, police_unit, report, police_report)


def jpeg(colour: tuple[int, int, int] = (200, 30, 30)) -> io.BytesIO:
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(photo, "JPEG")
    photo.name = "after.jpg"
    photo.seek(0)
    return photo


def step(
    client: APIClient,
    report_id: int,
    name: str,
    data: dict[str, Any] | None = None,
    *,
    key: uuid.UUID | str | None = None,
    multipart: bool = False,
) -> Any:
    headers = {"Idempotency-Key": str(key or uuid.uuid4())}
    url = f"/petugas/api/incidents/{report_id}/{name}/"
    return client.post(
        url, data or {}, format="multipart" if multipart else "json", headers=headers
    )
