"""Who sees and acts on what in /petugas/: an officer's own unit's jobs and agency, nothing else."""

from __future__ import annotations

import uuid

import pytest

from geo_klik.dispatch.actions import units, workflow
from geo_klik.dispatch.models import Shift, Unit
from geo_klik.field.models import FieldAction
from geo_klik.reports.models import Report
from tests.field.conftest import FieldWorld, step
from tests.personas import BARAT


def test_the_inbox_lists_only_the_officers_own_units_jobs(field: FieldWorld) -> None:
    mine = field.client(field.personas.pupr).get("/petugas/api/inbox/").json()
    assert [r["tracking_code"] for r in mine["results"]] == [field.report.tracking_code]
    colleague = field.client(field.personas.pupr2).get("/petugas/api/inbox/").json()
    assert colleague["results"] == []
    police = field.client(field.personas.polsek).get("/petugas/api/inbox/").json()
    assert [r["tracking_code"] for r in police["results"]] == [field.police_report.tracking_code]


def test_the_inbox_puts_higher_priority_first_then_newest(
    field: FieldWorld, routed_report: object
) -> None:
    p = field.personas
    # A second job for PUPR-1: dispatched with the unit busy is refused, so free a third unit.
    later = routed_report((BARAT[0] + 0.001, BARAT[1]), "road_damage")  # type: ignore[operator]
    third = Unit.objects.create(agency=p.pupr_agency, call_sign="PUPR-3", kind="crew")
    units.end_shift(user=p.pupr2)
    units.start_shift(third.pk, user=p.pupr2)
    workflow.acknowledge(later.pk, user=p.operator)
    workflow.assign_units(later.pk, user=p.operator, unit_ids=[third.pk])
    rows = field.client(p.pupr2).get("/petugas/api/inbox/").json()["results"]
    assert [r["tracking_code"] for r in rows] == [later.tracking_code]


def test_an_officer_reads_the_agencys_dispatched_incidents_but_no_other(
    field: FieldWorld, routed_report: object
) -> None:
    colleague = field.client(field.personas.pupr2)
    assert colleague.get(f"/petugas/api/incidents/{field.report.pk}/").status_code == 200
    assert colleague.get(f"/petugas/api/incidents/{field.police_report.pk}/").status_code == 404
    undispatched = routed_report((BARAT[0] + 0.001, BARAT[1]), "road_damage")  # type: ignore[operator]
    assert colleague.get(f"/petugas/api/incidents/{undispatched.pk}/").status_code == 404
    assert colleague.get("/petugas/api/incidents/999999999/").status_code == 404


@pytest.mark.parametrize("name", ["en-route", "on-scene", "need-support", "resolve", "unable"])
def test_an_officer_cannot_act_on_another_units_or_agencys_job(
    field: FieldWorld, name: str
) -> None:
    body = {"reason": "x", "note": "x"}
    colleague = step(field.client(field.personas.pupr2), field.report.pk, name, body)
    assert colleague.status_code == 403  # same agency, not the unit sent
    police = step(field.client(field.personas.polsek), field.report.pk, name, body)
    assert police.status_code == 404  # another agency's report: no leak
    assert not FieldAction.objects.exists()
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.DISPATCHED


def test_an_officer_off_duty_cannot_act_even_on_the_units_job(field: FieldWorld) -> None:
    # Off duty is refused while the unit has a job; another officer crews a unit meanwhile.
    with pytest.raises(workflow.InvalidTransition):
        units.end_shift(user=field.personas.pupr)
    Shift.objects.filter(officer_id=field.personas.pupr.pk).update(ended_at="2026-01-01T00:00Z")
    answer = step(field.client(field.personas.pupr), field.report.pk, "on-scene")
    assert answer.status_code == 403


@pytest.mark.parametrize("who", ["operator", "supervisor", "planner", "outsider", "admin", None])
def test_only_skpd_officers_use_the_field_api(field: FieldWorld, who: str | None) -> None:
    user = getattr(field.personas, who) if who else None
    client = field.client(user)
    expected = 401 if user is None else 403
    assert client.get("/petugas/api/inbox/").status_code == expected
    assert client.post("/petugas/api/position/", {"lat": 0, "lon": 0}).status_code == expected
    assert step(client, field.report.pk, "on-scene").status_code == expected


def test_the_page_is_for_officers_only(field: FieldWorld, client: object) -> None:
    from django.test import Client

    web = Client()
    assert web.get("/petugas/").status_code == 302  # to the log-in
    web.force_login(field.personas.operator)  # type: ignore[arg-type]
    assert web.get("/petugas/").status_code == 403
    web.force_login(field.personas.pupr)  # type: ignore[arg-type]
    page = web.get("/petugas/")
    assert page.status_code == 200
    assert b"field-config" in page.content
    assert web.get("/petugas/sw.js")["Content-Type"] == "application/javascript"
    manifest = web.get("/petugas/manifest.webmanifest").json()
    assert manifest["scope"] == "/petugas/"


def test_duty_is_with_a_unit_of_the_officers_own_agency_only(field: FieldWorld) -> None:
    p = field.personas
    units.end_shift(user=p.pupr2)
    free_police = Unit.objects.create(agency=p.polsek_agency, call_sign="POL-2", kind="patrol")
    answer = field.client(p.pupr2).post(
        "/petugas/api/duty/start/", {"unit": free_police.pk}, format="json"
    )
    assert answer.status_code == 404
    crewed = field.client(p.pupr2).post(
        "/petugas/api/duty/start/", {"unit": field.unit.pk}, format="json"
    )
    assert crewed.status_code == 409  # PUPR-1 is crewed by pupr


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "1.5", -3, 0, 2**70, "1\x00", None, [1], {"id": 1}, True, "9" * 400],
)
def test_it_refuses_hostile_unit_ids(field: FieldWorld, raw: object) -> None:
    units.end_shift(user=field.personas.pupr2)
    answer = field.client(field.personas.pupr2).post(
        "/petugas/api/duty/start/", {"unit": raw}, format="json"
    )
    assert answer.status_code in (400, 404)
    assert answer.json()["errors"][0]["message_en"]


@pytest.mark.parametrize(
    "key", ["", "not-a-uuid", "\x00", "1" * 5000, "{}", str(uuid.uuid4()) + "x"]
)
def test_it_refuses_a_step_without_a_clean_idempotency_key(field: FieldWorld, key: str) -> None:
    client = field.client(field.personas.pupr)
    url = f"/petugas/api/incidents/{field.report.pk}/on-scene/"
    headers = {"Idempotency-Key": key} if key else {}
    try:
        answer = client.post(url, {}, format="json", headers=headers)
    except ValueError:  # the test client itself refuses a NUL in a header
        return
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "a\x00b"},
        {"reason": "x" * 2001},
        {"reason": ["list"]},
        {"reason": {"$gt": ""}},
        {"reason": "   "},
        {},
    ],
)
def test_it_refuses_hostile_reasons(field: FieldWorld, body: dict[str, object]) -> None:
    answer = step(field.client(field.personas.pupr), field.report.pk, "unable", body)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "reason"
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.DISPATCHED


def test_it_refuses_a_photo_that_is_not_an_image(field: FieldWorld) -> None:
    import io

    fake = io.BytesIO(b"<?php system($_GET['x']); ?>" * 10)
    fake.name = "after.jpg"
    answer = step(
        field.client(field.personas.pupr),
        field.report.pk,
        "resolve",
        {"note": "x", "photo": fake},
        multipart=True,
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "photo"
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.DISPATCHED


def test_it_refuses_a_body_that_is_not_an_object(field: FieldWorld) -> None:
    client = field.client(field.personas.pupr)
    answer = client.post(
        f"/petugas/api/incidents/{field.report.pk}/unable/",
        "[1, 2]",
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 400


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("reject", {"reason": "bukan kejadian"}),
        ("transfer", {"agency": "polsek-timur", "reason": "salah"}),
        ("dispatch", {}),
    ],
)
def test_an_officer_takes_only_field_steps_on_a_claimed_report(
    field: FieldWorld, name: str, body: dict[str, object]
) -> None:
    """The staff API's other steps stay with the claimant: the unit's officer may not reject,
    transfer or dispatch on the report the operator claimed."""
    if name == "dispatch":
        body = {"units": [field.unit2.pk]}
    answer = field.client(field.personas.pupr).post(
        f"/api/staff/reports/{field.report.pk}/{name}/", body, format="json"
    )
    assert answer.status_code == 403
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.DISPATCHED
