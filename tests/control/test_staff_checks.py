"""The staff API's input serializers: what the hand-written helpers crashed on, and the schema.

Every answer the helpers gave is pinned in test_staff_error_bodies.py; here are the inputs they
answered with a server error (a JSON integer too large for a float, a body that is not an
object), now refused in the bilingual shape, and the OpenAPI schema read from the serializers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client

from geo_klik.control import checks
from geo_klik.lib import checks as lib_checks
from geo_klik.lib import errors
from tests.control.test_staff_error_bodies import (
    CRASHED,
    HUGE,
    UNIT_BODIES,
    client_of,
)
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_failed_logins")

METRES = {
    "code": "invalid",
    "field": "accuracy_m",
    "message": "accuracy_m harus angka meter.",
    "message_en": "accuracy_m must be metres.",
}


def test_it_refuses_an_accuracy_too_large_for_a_float(
    personas: Personas, staff_world: dict[str, int]
) -> None:
    client = client_of(personas.pupr)
    for name in sorted(CRASHED):
        body = json.dumps(UNIT_BODIES[name.removeprefix("unit ")])
        response = client.post(
            f"/api/staff/units/{staff_world['unit']}/", body, content_type="application/json"
        )
        assert response.status_code == 400, name
        assert response.json() == {"errors": [METRES]}, name


@pytest.mark.parametrize("body", ["[1]", '"note"', "null", "5"])
@pytest.mark.parametrize(
    "path", ["reports/{report}/reject/", "reports/{report}/merge/", "units/{unit}/", "auth/token/"]
)
def test_it_refuses_a_body_that_is_not_an_object(
    personas: Personas, staff_world: dict[str, int], path: str, body: str
) -> None:
    url = "/api/staff/" + path.format(report=staff_world["report"], unit=staff_world["unit"])

    response = client_of(personas.pupr).post(url, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json() == errors.body([lib_checks.NOT_AN_OBJECT])


def test_it_reads_repeated_form_fields_as_lists_and_json_as_sent() -> None:
    form = QueryDict("units=3&units=&units=4&into=7&into=8&note=a&note=b")
    given = checks.StaffDispatchInput(data=form)
    assert given.is_valid(), given.errors
    assert given.validated_data == {"unit_ids": [3, 4]}
    merge = checks.StaffMergeInput(data=form)
    assert merge.is_valid(), merge.errors
    assert merge.validated_data == {"into_id": 7, "note": "b"}
    assert checks.StaffMergeInput(data={}).is_valid()
    loose = checks.StaffMergeInput(data={"into": "12", "note": ["x"]})
    assert loose.is_valid() and loose.validated_data == {"into_id": 12, "note": ""}


@pytest.mark.parametrize("units", [[[1]], {"a": 1}, "1,2", ["NaN"], [1, "x"], [float("nan")]])
def test_it_refuses_ids_that_are_not_ids(units: Any) -> None:
    given = checks.StaffDispatchInput(data={"units": units})
    assert not given.is_valid()
    assert given.errors == {
        "errors": [
            {
                "field": "units",
                "code": "invalid",
                "message": "units harus berupa id.",
                "message_en": "units must be ids.",
            }
        ]
    }


def test_it_keeps_unit_updates_to_one_problem_at_a_time() -> None:
    both = checks.StaffUnitUpdateInput(data={"lat": 99, "lon": "x", "accuracy_m": -1, "status": 3})
    assert not both.is_valid()
    assert [p["field"] for p in both.errors["errors"]] == ["lat"]
    status_only = checks.StaffUnitUpdateInput(data={"accuracy_m": "junk", "status": 3})
    assert status_only.is_valid(), status_only.errors
    assert status_only.validated_data == {
        "lat": None,
        "lon": None,
        "accuracy_m": None,
        "status": "3",
    }
    form = checks.StaffUnitUpdateInput(data=QueryDict("lat=-0.5&lon=100.25&accuracy_m=%208%20"))
    assert form.is_valid(), form.errors
    assert form.validated_data == {"lat": -0.5, "lon": 100.25, "accuracy_m": 8.0, "status": None}
    with pytest.raises(errors.Invalid):
        checks.accuracy_of(HUGE)
    assert checks.accuracy_of(True) == 1.0  # as float(True) was: recorded as accepted


def test_it_describes_each_step_body_in_the_openapi_schema(client: Client, db: None) -> None:
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    components = schema["components"]["schemas"]

    def body_fields(path: str) -> set[str]:
        content = paths[path]["post"]["requestBody"]["content"]
        ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        return set(components[ref].get("properties", {}))

    assert body_fields("/api/staff/reports/{report_id}/dispatch/") == {"units"}
    assert body_fields("/api/staff/reports/{report_id}/resolve/") == {"note", "photo"}
    assert body_fields("/api/staff/reports/{report_id}/transfer/") == {"agency", "reason"}
    assert body_fields("/api/staff/reports/{report_id}/merge/") == {"into", "note"}
    assert body_fields("/api/staff/reports/{report_id}/reject/") == {"reason"}
    assert body_fields("/api/staff/reports/{report_id}/close/") == {"note"}
    assert body_fields("/api/staff/units/{unit_id}/") == {"lat", "lon", "accuracy_m", "status"}
    assert body_fields("/api/staff/auth/token/") == {"username", "password"}
    audit = paths["/api/staff/audit/"]["get"]["parameters"]
    assert [p["name"] for p in audit] == ["object_id"]
    refusal = paths["/api/staff/reports/{report_id}/reject/"]["post"]["responses"]["400"]
    assert refusal["content"]["application/json"]["schema"]["$ref"].endswith("/Errors")
