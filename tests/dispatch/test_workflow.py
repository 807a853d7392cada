"""The staff workflow: claim, dispatch, on scene, resolve, close, reject, transfer, merge."""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.accounts.models import AuditLog
from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.models import Assignment, Handling, RoutingDecision, Unit
from geo_klik.lib import geo
from geo_klik.reports.models import Report, ReportEvent
from tests.personas import BARAT, TIMUR, Personas

S = Report.Status


@pytest.fixture
def pothole(personas: Personas, routed_report: Any) -> Report:
    report: Report = routed_report(BARAT, "road_damage")
    assert report.status == S.ROUTED
    return report


@pytest.fixture
def crew(personas: Personas) -> Unit:
    return Unit.objects.create(
        agency=personas.pupr_agency,
        call_sign="PUPR-1",
        kind=Unit.Kind.CREW,
        status=Unit.Status.AVAILABLE,
        location=geo.point(-0.004, 100.004),
    )


def test_it_walks_a_report_end_to_end_with_a_timeline_and_audit(
    personas: Personas, pothole: Report, crew: Unit
) -> None:
    user = personas.pupr
    workflow.acknowledge(pothole.pk, user=user)
    workflow.assign_units(pothole.pk, user=user, unit_ids=[crew.pk])
    crew.refresh_from_db()
    assert crew.status == Unit.Status.DISPATCHED
    workflow.arrive(pothole.pk, user=user)
    workflow.resolve(pothole.pk, user=user, note="Lubang ditambal.")
    workflow.close(pothole.pk, user=personas.operator)

    pothole.refresh_from_db()
    assert pothole.status == S.CLOSED
    steps = list(
        pothole.events.filter(kind=ReportEvent.Kind.STATUS).values_list("status_to", "actor")
    )
    assert [s for s, _ in steps][-5:] == [
        S.ACKNOWLEDGED,
        S.DISPATCHED,
        S.ON_SCENE,
        S.RESOLVED,
        S.CLOSED,
    ]
    assert all(actor == ReportEvent.Actor.STAFF for _, actor in steps[-5:])
    assert pothole.events.get(status_to=S.ACKNOWLEDGED).agency == personas.pupr_agency
    crew.refresh_from_db()
    assert crew.status == Unit.Status.AVAILABLE  # freed on resolution
    actions = list(
        AuditLog.objects.filter(object_id=str(pothole.pk))
        .order_by("at", "id")
        .values_list("action", "actor_username")
    )
    assert actions == [
        ("acknowledge", "pupr"),
        ("assign_units", "pupr"),
        ("arrive", "pupr"),
        ("resolve", "pupr"),
        ("close", "operator"),
    ]
    first = AuditLog.objects.filter(object_id=str(pothole.pk)).order_by("at", "id").first()
    assert first is not None
    assert first.before["status"] == S.ROUTED
    assert first.after["status"] == S.ACKNOWLEDGED


def test_it_refuses_a_second_claim(personas: Personas, pothole: Report) -> None:
    workflow.acknowledge(pothole.pk, user=personas.pupr)

    with pytest.raises(workflow.AlreadyClaimed):
        workflow.acknowledge(pothole.pk, user=personas.pupr2)


def test_it_keeps_other_staff_of_the_agency_off_a_claimed_report(
    personas: Personas, pothole: Report
) -> None:
    workflow.acknowledge(pothole.pk, user=personas.pupr)

    with pytest.raises(workflow.NotAllowed):
        workflow.resolve(pothole.pk, user=personas.pupr2, note="x")
    workflow.resolve(pothole.pk, user=personas.supervisor, note="taken over")  # override


def test_it_validates_transitions_on_the_server(personas: Personas, pothole: Report) -> None:
    with pytest.raises(workflow.InvalidTransition):
        workflow.resolve(pothole.pk, user=personas.pupr, note="too early")
    with pytest.raises(workflow.InvalidTransition):
        workflow.arrive(pothole.pk, user=personas.pupr)
    with pytest.raises(workflow.InvalidTransition):
        workflow.close(pothole.pk, user=personas.operator)
    workflow.acknowledge(pothole.pk, user=personas.pupr)
    with pytest.raises(workflow.MissingInput):
        workflow.resolve(pothole.pk, user=personas.pupr, note="  ")


def test_it_hides_another_agencys_report(personas: Personas, pothole: Report) -> None:
    with pytest.raises(workflow.NotVisible):
        workflow.acknowledge(pothole.pk, user=personas.polsek)
    with pytest.raises(workflow.NotVisible):
        workflow.acknowledge(pothole.pk, user=personas.planner)


def test_it_transfers_to_another_agency_with_a_manual_decision(
    personas: Personas, pothole: Report
) -> None:
    workflow.acknowledge(pothole.pk, user=personas.pupr)

    workflow.transfer(
        pothole.pk, user=personas.pupr, agency=personas.polsek_agency, reason="Bukan jalan"
    )

    pothole.refresh_from_db()
    assert pothole.status == S.TRANSFERRED
    decision = RoutingDecision.objects.get(report=pothole, is_current=True)
    assert decision.rule == RoutingDecision.Rule.MANUAL
    assert decision.note == "Bukan jalan"
    primary = Assignment.objects.get(report=pothole, active=True, role="primary")
    assert primary.agency == personas.polsek_agency
    assert Handling.objects.get(report=pothole).claimed_by is None
    # The old agency loses it; the new one can claim it.
    with pytest.raises(workflow.NotVisible):
        workflow.acknowledge(pothole.pk, user=personas.pupr2)
    workflow.acknowledge(pothole.pk, user=personas.polsek)
    assert "Bukan jalan" in pothole.events.get(status_to=S.TRANSFERRED).note


def test_it_refuses_a_transfer_without_reason_or_to_the_same_agency(
    personas: Personas, pothole: Report
) -> None:
    with pytest.raises(workflow.MissingInput):
        workflow.transfer(
            pothole.pk, user=personas.operator, agency=personas.polsek_agency, reason=""
        )
    with pytest.raises(workflow.MissingInput):
        workflow.transfer(
            pothole.pk, user=personas.operator, agency=personas.pupr_agency, reason="x"
        )


def test_it_merges_a_duplicate(personas: Personas, routed_report: Any) -> None:
    first = routed_report(BARAT, "road_damage")
    second = routed_report((BARAT[0] + 0.001, BARAT[1]), "road_damage")  # about 111 m
    far = routed_report((-0.009, 100.009), "road_damage")  # about 570 m

    from geo_klik.dispatch import queries

    assert [r.pk for r in queries.duplicate_candidates(second, user=personas.pupr)] == [first.pk]
    assert far.pk not in [r.pk for r in queries.duplicate_candidates(first, user=personas.pupr)]
    workflow.merge(second.pk, user=personas.pupr, into_id=first.pk)

    second.refresh_from_db()
    assert second.status == S.DUPLICATE
    assert Handling.objects.get(report=second).duplicate_of_id == first.pk
    assert first.tracking_code in second.events.get(status_to=S.DUPLICATE).note
    with pytest.raises(workflow.MissingInput):
        workflow.merge(first.pk, user=personas.pupr, into_id=second.pk)  # into a duplicate
    with pytest.raises(workflow.MissingInput):
        workflow.merge(first.pk, user=personas.pupr, into_id=first.pk)


def test_it_rejects_with_a_reason(personas: Personas, routed_report: Any) -> None:
    report = routed_report(TIMUR, "crime")
    with pytest.raises(workflow.MissingInput):
        workflow.reject(report.pk, user=personas.polsek, reason="")
    workflow.reject(report.pk, user=personas.polsek, reason="Bukan kejadian / not an incident")
    report.refresh_from_db()
    assert report.status == S.REJECTED


def test_it_refuses_busy_units_and_units_of_other_agencies(
    personas: Personas, pothole: Report, crew: Unit
) -> None:
    police = Unit.objects.create(
        agency=personas.polsek_agency,
        call_sign="POL-1",
        kind=Unit.Kind.PATROL,
        status=Unit.Status.AVAILABLE,
    )
    workflow.acknowledge(pothole.pk, user=personas.pupr)
    with pytest.raises(workflow.MissingInput):
        workflow.assign_units(pothole.pk, user=personas.pupr, unit_ids=[police.pk])
    Unit.objects.filter(pk=crew.pk).update(status=Unit.Status.OFF_DUTY)
    with pytest.raises(workflow.InvalidTransition):
        workflow.assign_units(pothole.pk, user=personas.pupr, unit_ids=[crew.pk])
