"""The permission matrix: every role against every staff endpoint, and no cross-agency leak.

The report is Dinas PUPR's (road damage in kecamatan Barat) and the unit PUPR-1 is PUPR's; the
Polsek officer is SKPD staff of another agency, so to them both must not exist (404) and no
list may carry them.
"""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.dispatch.models import Unit
from geo_klik.lib import geo
from geo_klik.reports.models import Report
from tests.personas import BARAT, Personas

ROLES = ["anonymous", "outsider", "operator", "pupr", "polsek", "supervisor", "planner", "admin"]
WORKING = {"operator", "pupr", "supervisor", "admin"}

# name -> (method, path template, body, roles allowed (2xx), roles answered 404)
ENDPOINTS: dict[str, tuple[str, str, dict[str, Any], set[str], set[str]]] = {
    "queue": ("get", "/api/staff/reports/", {}, WORKING | {"polsek"}, set()),
    "detail": ("get", "/api/staff/reports/{report}/", {}, WORKING, {"polsek"}),
    "unit-suggestions": (
        "get",
        "/api/staff/reports/{report}/unit-suggestions/",
        {},
        WORKING,
        {"polsek"},
    ),
    "duplicates": ("get", "/api/staff/reports/{report}/duplicates/", {}, WORKING, {"polsek"}),
    "acknowledge": ("post", "/api/staff/reports/{report}/acknowledge/", {}, WORKING, {"polsek"}),
    "reject": (
        "post",
        "/api/staff/reports/{report}/reject/",
        {"reason": "uji / test"},
        WORKING,
        {"polsek"},
    ),
    "transfer": (
        "post",
        "/api/staff/reports/{report}/transfer/",
        {"agency": "polsek-timur", "reason": "salah SKPD / wrong agency"},
        WORKING,
        {"polsek"},
    ),
    "units": ("get", "/api/staff/units/", {}, WORKING | {"polsek"}, set()),
    "unit-update": (
        "post",
        "/api/staff/units/{unit}/",
        {"lat": -0.006, "lon": 100.006, "status": "en_route"},
        WORKING,
        {"polsek"},
    ),
    "notifications": ("get", "/api/staff/notifications/", {}, WORKING | {"polsek"}, set()),
    "stats": ("get", "/api/staff/stats/", {}, {"supervisor", "planner", "admin"}, set()),
    "audit": ("get", "/api/staff/audit/", {}, {"supervisor", "admin"}, set()),
}


@pytest.fixture
def world(personas: Personas, routed_report: Any) -> tuple[Report, Unit]:
    report = routed_report(BARAT, "road_damage")
    unit = Unit.objects.create(
        agency=personas.pupr_agency,
        call_sign="PUPR-1",
        kind=Unit.Kind.CREW,
        status=Unit.Status.AVAILABLE,
        location=geo.point(-0.004, 100.004),
    )
    return report, unit


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_it_allows_or_denies_each_role_on_each_endpoint(
    personas: Personas, world: tuple[Report, Unit], role: str, endpoint: str
) -> None:
    report, unit = world
    method, template, body, allowed, hidden = ENDPOINTS[endpoint]
    client = personas.client(None if role == "anonymous" else getattr(personas, role))

    response = getattr(client, method)(
        template.format(report=report.pk, unit=unit.pk), body, format="json"
    )

    if role in allowed:
        expected = 200
    elif role == "anonymous":
        expected = 401
    elif role in hidden:
        expected = 404
    else:
        expected = 403
    assert response.status_code == expected, response.content
    text = response.content.decode()
    if expected >= 400:
        problem = response.json()["errors"][0]
        assert problem["message"] and problem["message_en"]  # bilingual
    if role == "polsek":  # another agency: nothing of PUPR's leaks
        assert report.tracking_code not in text
        assert "PUPR-1" not in text
    if role == "planner":  # aggregates only: no report, no personal data
        assert report.tracking_code not in text


def test_it_lists_only_the_agencys_own_reports_and_units(
    personas: Personas, world: tuple[Report, Unit], routed_report: Any
) -> None:
    report, _ = world
    crime = routed_report((-0.005, 100.015), "crime", reporter_name="Budi", reporter_phone="0812")

    polsek = personas.client(personas.polsek).get("/api/staff/reports/").json()["results"]
    pupr = personas.client(personas.pupr).get("/api/staff/reports/").json()["results"]
    operator = personas.client(personas.operator).get("/api/staff/reports/").json()["results"]

    assert [r["id"] for r in polsek] == [crime.pk]
    assert [r["id"] for r in pupr] == [report.pk]
    assert {r["id"] for r in operator} == {report.pk, crime.pk}
    assert "Budi" not in str(operator)  # the queue carries no personal data


def test_it_orders_the_queue_by_priority_then_age(personas: Personas, routed_report: Any) -> None:
    pothole = routed_report(BARAT, "road_damage")  # medium priority
    crime = routed_report((-0.005, 100.015), "crime")  # newer, higher priority

    rows = personas.client(personas.operator).get("/api/staff/reports/").json()["results"]

    assert [r["id"] for r in rows] == sorted(
        [pothole.pk, crime.pk], key=lambda pk: (Report.objects.get(pk=pk).category.priority, pk)
    )
    assert rows[0]["ack_due_at"] and rows[0]["resolve_due_at"]


def test_it_issues_a_token_for_a_phone_and_accepts_it(
    personas: Personas, world: tuple[Report, Unit]
) -> None:
    from rest_framework.test import APIClient

    from tests.personas import PASSWORD

    _, unit = world
    client = APIClient()
    bad = client.post(
        "/api/staff/auth/token/", {"username": "pupr", "password": "x"}, format="json"
    )
    assert bad.status_code == 401
    token = client.post(
        "/api/staff/auth/token/", {"username": "pupr", "password": PASSWORD}, format="json"
    ).json()["token"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(
        f"/api/staff/units/{unit.pk}/",
        {"lat": -0.007, "lon": 100.007, "accuracy_m": 8},
        format="json",
    )

    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.location is not None
    assert geo.lat_lon(unit.location) == pytest.approx((-0.007, 100.007))


def test_it_walks_a_report_through_the_api(personas: Personas, world: tuple[Report, Unit]) -> None:
    report, unit = world
    client = personas.client(personas.pupr)
    base = f"/api/staff/reports/{report.pk}"

    assert client.post(f"{base}/acknowledge/").json()["status"] == "acknowledged"
    second = personas.client(personas.pupr2).post(f"{base}/acknowledge/")
    assert second.status_code == 409
    assert second.json()["errors"][0]["code"] == "already_claimed"
    suggested = client.get(f"{base}/unit-suggestions/").json()["results"]
    assert [s["call_sign"] for s in suggested] == ["PUPR-1"]
    assert client.post(f"{base}/dispatch/", {"units": [unit.pk]}, format="json").status_code == 200
    assert client.post(f"{base}/arrive/").json()["status"] == "on_scene"
    missing_note = client.post(f"{base}/resolve/", {}, format="json")
    assert missing_note.status_code == 400
    assert missing_note.json()["errors"][0]["field"] == "note"
    done = client.post(f"{base}/resolve/", {"note": "Sudah ditambal"}, format="json").json()
    assert done["status"] == "resolved"
    assert any(e["note"] == "Sudah ditambal" for e in done["events"])
