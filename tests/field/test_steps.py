"""Field steps through /petugas/api/: the console's workflow rules, taken exactly once."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection

from geo_klik.dispatch.actions import field_steps, workflow
from geo_klik.dispatch.models import Unit, UnitAssignment
from geo_klik.field.models import FieldAction
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto
from tests.field.conftest import FieldWorld, build_field, jpeg, step
from tests.personas import Personas


def test_it_walks_a_job_from_dispatch_to_resolved_with_an_after_photo(field: FieldWorld) -> None:
    officer = field.client(field.personas.pupr)
    assert step(officer, field.report.pk, "en-route").status_code == 201
    field.unit.refresh_from_db()
    assert field.unit.status == Unit.Status.EN_ROUTE
    assert step(officer, field.report.pk, "on-scene").status_code == 201
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.ON_SCENE
    job = UnitAssignment.objects.get(unit=field.unit, report=field.report)
    assert job.arrived_at is not None
    answer = step(
        officer,
        field.report.pk,
        "resolve",
        {"note": "Lubang ditambal.", "photo": jpeg()},
        multipart=True,
    )
    assert answer.status_code == 201, answer.content
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.RESOLVED
    event = ReportEvent.objects.get(report=field.report, status_to=Report.Status.RESOLVED)
    photo = ReportPhoto.objects.get(report=field.report, event=event)
    assert photo.content_type == "image/jpeg"
    field.unit.refresh_from_db()
    assert field.unit.status == Unit.Status.AVAILABLE  # freed, still on duty
    # The resident's tracking page shows the resolution and its photo.
    page = field.client(None).get(f"/api/reports/{field.report.tracking_code}/")
    assert page.status_code == 200
    assert photo.image.url in page.content.decode()


def test_it_takes_a_repeated_step_once_and_answers_the_same(field: FieldWorld) -> None:
    officer = field.client(field.personas.pupr)
    key = uuid.uuid4()
    body = {"note": "Selesai.", "photo": jpeg()}
    first = step(officer, field.report.pk, "resolve", body, key=key, multipart=True)
    again = step(
        officer,
        field.report.pk,
        "resolve",
        {"note": "Selesai.", "photo": jpeg()},
        key=key,
        multipart=True,
    )
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == {**first.json(), "repeated": True}
    assert ReportEvent.objects.filter(report=field.report, status_to="resolved").count() == 1
    assert ReportPhoto.objects.filter(report=field.report).count() == 1
    assert FieldAction.objects.count() == 1


def test_it_refuses_a_key_reused_for_another_body(field: FieldWorld) -> None:
    officer = field.client(field.personas.pupr)
    key = uuid.uuid4()
    assert (
        step(officer, field.report.pk, "need-support", {"reason": "a"}, key=key).status_code == 201
    )
    answer = step(officer, field.report.pk, "need-support", {"reason": "b"}, key=key)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == "idempotency_key_reused"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_of_one_step_make_one_resolution(
    personas: Personas, routed_report: Any
) -> None:
    world = build_field(personas, routed_report)
    key = uuid.uuid4()
    answers: list[int] = []

    def send() -> None:
        try:
            client = world.client(world.personas.pupr)
            answers.append(
                step(client, world.report.pk, "resolve", {"note": "Selesai."}, key=key).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 201]
    assert ReportEvent.objects.filter(report=world.report, status_to="resolved").count() == 1


def test_a_step_the_workflow_refuses_leaves_no_key(field: FieldWorld) -> None:
    officer = field.client(field.personas.pupr)
    key = uuid.uuid4()
    assert step(officer, field.report.pk, "resolve", {"note": "x"}).status_code == 201
    late = step(officer, field.report.pk, "on-scene", key=key)
    assert late.status_code == 403  # the unit was released with the resolution
    assert not FieldAction.objects.filter(key=key).exists()


def test_unable_to_resolve_frees_the_unit_and_hands_the_report_back(field: FieldWorld) -> None:
    officer = field.client(field.personas.pupr)
    answer = step(officer, field.report.pk, "unable", {"reason": "Perlu alat berat."})
    assert answer.status_code == 201
    field.report.refresh_from_db()
    field.unit.refresh_from_db()
    assert field.report.status == Report.Status.ACKNOWLEDGED
    assert field.unit.status == Unit.Status.AVAILABLE
    internal = ReportEvent.objects.get(report=field.report, kind="note", public=False)
    assert "Perlu alat berat." in internal.note
    # The console can dispatch another unit straight away.
    workflow.assign_units(field.report.pk, user=field.personas.operator, unit_ids=[field.unit2.pk])


def test_need_support_flags_the_job_and_stays_off_the_public_page(field: FieldWorld) -> None:
    officer = field.client(field.personas.pupr)
    assert step(officer, field.report.pk, "need-support", {"reason": "Banjir."}).status_code == 201
    job = UnitAssignment.objects.get(unit=field.unit, report=field.report)
    assert job.support_requested_at is not None
    page = field.client(None).get(f"/api/reports/{field.report.tracking_code}/").content.decode()
    assert "Banjir." not in page


def test_a_second_unit_arriving_keeps_the_report_on_scene(field: FieldWorld) -> None:
    p = field.personas
    workflow.assign_units(field.report.pk, user=p.operator, unit_ids=[field.unit2.pk])
    assert step(field.client(p.pupr), field.report.pk, "on-scene").status_code == 201
    assert step(field.client(p.pupr2), field.report.pk, "on-scene").status_code == 201
    field.report.refresh_from_db()
    assert field.report.status == Report.Status.ON_SCENE
    assert UnitAssignment.objects.filter(report=field.report, arrived_at__isnull=False).count() == 2
    # Only one status change: the second arrival is a note.
    assert ReportEvent.objects.filter(report=field.report, status_to="on_scene").count() == 1


def test_the_console_arrive_stamps_every_units_arrival(field: FieldWorld) -> None:
    workflow.arrive(field.report.pk, user=field.personas.operator)
    assert UnitAssignment.objects.get(report=field.report).arrived_at is not None


def test_it_refuses_en_route_after_arrival(field: FieldWorld) -> None:
    field_steps.on_scene(field.report.pk, user=field.personas.pupr)
    with pytest.raises(workflow.InvalidTransition):
        field_steps.en_route(field.report.pk, user=field.personas.pupr)


def test_the_console_operator_still_resolves_a_field_job(field: FieldWorld) -> None:
    workflow.resolve(field.report.pk, user=field.personas.operator, note="lewat konsol")
    field.report.refresh_from_db()
    assert field.report.status == "resolved"
