"""Nearest available units: KNN prefilter, then geodesic distance; phone updates."""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.dispatch import queries
from geo_klik.dispatch.actions import units, workflow
from geo_klik.dispatch.models import Unit
from geo_klik.lib import geo
from tests.personas import Personas


def make_unit(agency: Any, call_sign: str, lat: float, lon: float, **fields: Any) -> Unit:
    return Unit.objects.create(
        agency=agency,
        call_sign=call_sign,
        kind=Unit.Kind.PATROL,
        status=fields.pop("status", Unit.Status.AVAILABLE),
        location=geo.point(lat, lon),
        **fields,
    )


def test_it_suggests_available_units_of_the_given_agencies_nearest_first(
    personas: Personas,
) -> None:
    pupr, polsek = personas.pupr_agency, personas.polsek_agency
    make_unit(pupr, "FAR", -0.019, 100.019)  # about 2.1 km
    make_unit(pupr, "NEAR", -0.001, 100.001)  # about 157 m
    make_unit(pupr, "MID", -0.005, 100.005)  # about 707 m
    make_unit(pupr, "BUSY", 0.0, 100.0001, status=Unit.Status.DISPATCHED)
    make_unit(pupr, "OFF", 0.0, 100.0002, status=Unit.Status.OFF_DUTY)
    make_unit(polsek, "OTHER", 0.0, 100.0)
    Unit.objects.create(
        agency=pupr, call_sign="NOWHERE", kind=Unit.Kind.CREW, status=Unit.Status.AVAILABLE
    )

    found = queries.nearest_available_units(geo.point(0.0, 100.0), agency_ids=[pupr.pk])

    assert [s.unit.call_sign for s in found] == ["NEAR", "MID", "FAR"]
    assert found[0].distance_m == pytest.approx(157.4, abs=1.0)  # geodesic, metres
    assert found[1].distance_m == pytest.approx(786.9, rel=0.15)


def test_it_orders_by_exact_distance_where_degrees_mislead(personas: Personas) -> None:
    # Away from the equator a degree of longitude is shorter than one of latitude: KNN in
    # degrees would rank these the other way round; geodesic metres decide.
    agency = personas.pupr_agency
    make_unit(agency, "EAST", 60.0, 10.018)  # 0.018° lon at 60°N: about 1.0 km
    make_unit(agency, "NORTH", 60.012, 10.0)  # 0.012° lat: about 1.34 km

    found = queries.nearest_available_units(geo.point(60.0, 10.0), agency_ids=[agency.pk])

    assert [s.unit.call_sign for s in found] == ["EAST", "NORTH"]


def test_it_lets_a_phone_update_its_own_agencys_unit_only(personas: Personas) -> None:
    unit = make_unit(personas.pupr_agency, "PUPR-9", -0.005, 100.005)

    units.update_unit(unit.pk, user=personas.pupr, lat=-0.006, lon=100.006, status="en_route")

    unit.refresh_from_db()
    assert unit.status == Unit.Status.EN_ROUTE
    assert unit.location_at is not None
    with pytest.raises(workflow.NotVisible):
        units.update_unit(unit.pk, user=personas.polsek, lat=0.0, lon=100.0)
    with pytest.raises(workflow.MissingInput):
        units.update_unit(unit.pk, user=personas.pupr, status="dispatched")  # operators only
