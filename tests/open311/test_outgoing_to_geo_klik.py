"""Outgoing Open311 against a real GeoReport v2 server: geo_klik's own, served live.

The SKPD's "own server" here is this geo_klik's /open311/v2, set up without its trailing slash
(the join the tolerant URLs accept): the report goes out as a POST requests.json, comes back
as a second report filed through Open311, and a public note on that one returns through
servicerequestupdates into the first report's timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from geo_klik.celery import app
from geo_klik.dispatch.actions import routes
from geo_klik.open311 import actions, outgoing
from geo_klik.open311.models import ExternalServer, OutgoingRequest
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent
from tests.conftest import TinyCity
from tests.open311.conftest import BARAT_UTARA, category
from tests.open311.test_outgoing import pupr


@pytest.fixture
def eager() -> Iterator[None]:
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_files_on_a_live_geo_klik_and_pulls_its_notes_back(
    city: TinyCity, live_server: LiveServer, eager: None, fmt: str, monkeypatch: Any
) -> None:
    _, key = actions.create_api_key(name="Kota sebelah / the city next door")
    agency = pupr()
    server = ExternalServer.objects.create(
        agency=agency, endpoint_url=f"{live_server.url}/open311/v2", api_key=key, format=fmt
    )
    # The remote must not route its copy back to itself: its routing is not queued.
    monkeypatch.setattr(routes, "enqueue_routing", lambda report_ids: 0)
    report, _ = report_actions.create_report(
        category=category("road_damage"),
        lat=BARAT_UTARA[0],
        lon=BARAT_UTARA[1],
        description="Lubang besar di depan pasar",
        reporter_email="siti@example.id",
    )

    routes.route_report_and_waiting(report.pk)  # transaction=True: on_commit runs at once

    row = OutgoingRequest.objects.get(report=report)
    assert row.state == "sent", row.last_error
    copy = Report.objects.get(tracking_code=row.external_id)
    assert copy.source == Report.Source.OPEN311 and copy.pk != report.pk
    assert f"[KLIK {report.tracking_code}]" in copy.description
    assert copy.reporter_email == ""  # no personal data went out
    assert copy.open311.attributes == {}  # the marker attribute is not one it asks

    report_actions.add_agency_note(copy, agency_id=agency.pk, note="Diperbaiki hari Senin")
    assert outgoing.pull_all()["updates"] >= 1

    notes = report.events.filter(kind=ReportEvent.Kind.NOTE, agency=agency).order_by("id")
    # Its own timeline: "received" there, then the SKPD's note.
    assert [n.note for n in notes] == ["Diterima", "Diperbaiki hari Senin"]
    assert outgoing.pull_all()["updates"] == 0  # each update once
    server.refresh_from_db()
    assert server.updates_pulled_until is not None
