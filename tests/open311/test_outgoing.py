"""Outgoing Open311: an SKPD's reports go to its own GeoReport v2 server, exactly once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.celery import app
from geo_klik.dispatch.actions import routes, workflow
from geo_klik.dispatch.models import Notification
from geo_klik.open311 import outgoing, tasks
from geo_klik.open311.models import ExternalServer, IncomingUpdate, OutgoingRequest
from geo_klik.reports import actions as report_actions
from geo_klik.reports import photos
from geo_klik.reports.models import Report, ReportEvent
from tests.conftest import TinyCity, closed_port
from tests.open311.conftest import BARAT_UTARA, category
from tests.open311.fake_georeport import FakeGeoReport
from tests.open311.test_media import jpeg_with_gps


@pytest.fixture
def fake() -> Iterator[Callable[..., FakeGeoReport]]:
    servers: list[FakeGeoReport] = []

    def start(**options: Any) -> FakeGeoReport:
        servers.append(FakeGeoReport(**options))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def eager() -> Iterator[None]:
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def pupr() -> Agency:
    return Agency.objects.get(code="dinas-pupr")


def connect(remote: FakeGeoReport, agency: Agency | None = None, **fields: Any) -> ExternalServer:
    agency = agency or pupr()
    agency.email, agency.webhook_url = "pupr@example.org", "http://127.0.0.1:9/hook"
    agency.save()
    return ExternalServer.objects.create(
        agency=agency,
        endpoint_url=remote.url,
        api_key="key-from-the-skpd",
        jurisdiction_id="pupr.bukittinggikota.go.id",
        format=remote.fmt,
        **fields,
    )


def new_report(code: str = "road_damage", **fields: Any) -> Report:
    lat, lon = BARAT_UTARA
    report, _ = report_actions.create_report(
        category=category(code),
        lat=lat,
        lon=lon,
        description="Lubang besar di depan pasar",
        reporter_name="Siti Rahma",
        reporter_phone="+62 812 3333 4444",
        reporter_email="siti@example.id",
        **fields,
    )
    return report


def route(report: Report, capture: Any) -> None:
    with capture(execute=True):
        routes.route_report_and_waiting(report.pk)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_sends_a_routed_report_once_after_a_failure_and_no_email(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
    fmt: str,
) -> None:
    remote = fake(fmt=fmt, script=["500"])
    server = connect(remote, service_codes={"road_damage": "POTHOLE"})
    report = new_report()

    route(report, django_capture_on_commit_callbacks)

    row = OutgoingRequest.objects.get(report=report)
    assert (row.state, row.attempts, row.external_id) == ("sent", 2, "EXT-1")
    assert row.server == server and not row.maybe_sent
    assert "HTTP 500" not in row.last_error  # cleared once sent
    assert len(remote.posts) == 2 and len(remote.created) == 1  # one failure, one request
    form = remote.posts[-1].form
    assert form["api_key"] == ["key-from-the-skpd"]
    assert form["jurisdiction_id"] == ["pupr.bukittinggikota.go.id"]
    assert form["service_code"] == ["POTHOLE"]
    assert form["lat"] == ["-0.005000"] and form["long"] == ["100.005000"]
    assert f"[KLIK {report.tracking_code}]" in form["description"][0]
    assert form["attribute[klik_tracking_code]"] == [report.tracking_code]
    sent = str(form)
    assert "Siti" not in sent and "3333" not in sent and "example.id" not in sent
    # Instead of e-mail and webhook, not as well.
    assert not Notification.objects.filter(report=report, agency=server.agency).exists()


def test_it_never_makes_a_second_row_or_request_for_a_report(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake()
    connect(remote)
    report = new_report()
    route(report, django_capture_on_commit_callbacks)
    row = OutgoingRequest.objects.get(report=report)

    primary = report.assignments.get(active=True, role="primary")
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing.claim_for([primary]) == {primary.agency_id}
    outgoing.send(row.pk)
    tasks.send_outgoing(row.pk)

    assert OutgoingRequest.objects.filter(report=report).count() == 1
    assert len(remote.posts) == 1


def test_it_adopts_the_request_the_server_filed_when_the_answer_was_lost(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake(script=["drop"])
    connect(remote)
    report = new_report()

    route(report, django_capture_on_commit_callbacks)

    row = OutgoingRequest.objects.get(report=report)
    assert (row.state, row.external_id, row.maybe_sent) == ("sent", "EXT-1", True)
    assert len(remote.posts) == 1 and len(remote.created) == 1  # found, not filed again
    searches = [call for call in remote.calls if call.path.endswith("/requests.xml")]
    assert searches[-1].method == "GET" and "start_date" in searches[-1].form
    assert searches[-1].form["service_code"] == ["road_damage"]


def test_it_recovers_a_row_left_sending_by_a_worker_that_died(
    city: TinyCity, fake: Callable[..., FakeGeoReport]
) -> None:
    remote = fake()
    server = connect(remote)
    report = new_report()
    # The worker POSTed (the server filed it) and died before recording the answer.
    remote.created["EXT-9"] = {"description": f"Lubang\n\n[KLIK {report.tracking_code}]"}
    long_ago = timezone.now() - timedelta(minutes=30)
    row = OutgoingRequest.objects.create(
        report=report, server=server, state="sending", attempts=1, last_attempt_at=long_ago
    )
    OutgoingRequest.objects.filter(pk=row.pk).update(created_at=long_ago)

    assert outgoing.stale() == [row.pk]
    outgoing.send(row.pk)

    row.refresh_from_db()
    assert (row.state, row.external_id, row.attempts) == ("sent", "EXT-9", 2)
    assert remote.posts == []


def test_it_retries_while_the_server_is_down_then_sends_exactly_once(
    city: TinyCity, fake: Callable[..., FakeGeoReport], django_capture_on_commit_callbacks: Any
) -> None:
    remote = fake()
    server = connect(remote)
    live_url = server.endpoint_url
    server.endpoint_url = f"http://127.0.0.1:{closed_port()}/open311/v2/"
    server.save()
    report = new_report()
    route(report, django_capture_on_commit_callbacks)  # eager off: queued, not run
    row = OutgoingRequest.objects.get(report=report)

    with pytest.raises(outgoing.SendFailed):
        outgoing.send(row.pk)  # connection refused
    row.refresh_from_db()
    assert (row.state, row.attempts, row.maybe_sent) == ("pending", 1, False)
    assert "URLError" in row.last_error

    ExternalServer.objects.filter(pk=server.pk).update(endpoint_url=live_url)  # back up
    later = timezone.now() + timedelta(seconds=outgoing.backoff_s(1) + 600)
    assert outgoing.stale(now=later) == [row.pk]
    outgoing.send(row.pk)
    outgoing.send(row.pk)  # a duplicate task: nothing to do

    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert len(remote.posts) == 1


@override_settings(OPEN311_OUTGOING_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_last_attempt_and_the_sweep_leaves_it(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake(script=["500"] * 10)
    connect(remote)
    report = new_report()

    route(report, django_capture_on_commit_callbacks)

    row = OutgoingRequest.objects.get(report=report)
    assert (row.state, row.attempts) == ("failed", 3)
    assert "HTTP 500" in row.last_error
    assert outgoing.stale(now=timezone.now() + timedelta(days=1)) == []
    assert remote.created == {}


def test_it_stops_at_once_when_the_server_refuses_the_request(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake()
    connect(remote)
    remote.script = []
    report = new_report()
    ExternalServer.objects.update(endpoint_url=remote.url + "missing/")  # every call a 404

    route(report, django_capture_on_commit_callbacks)

    row = OutgoingRequest.objects.get(report=report)
    assert (row.state, row.attempts) == ("failed", 1)
    assert "HTTP 404" in row.last_error


def test_it_sends_reports_queued_while_redis_was_down(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    purge_queue: None,
) -> None:
    remote = fake()
    connect(remote)
    report = new_report()
    route(report, django_capture_on_commit_callbacks)  # the send task cannot be queued
    row = OutgoingRequest.objects.get(report=report)
    assert (row.state, row.attempts) == ("pending", 0)

    broker_down()  # back
    OutgoingRequest.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert outgoing.stale() == [row.pk]
    outgoing.send(row.pk)

    row.refresh_from_db()
    assert row.state == "sent" and len(remote.posts) == 1


def test_it_sends_a_transferred_report_to_the_new_skpds_server(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake()
    report = new_report()
    route(report, django_capture_on_commit_callbacks)
    polres = Agency.objects.get(code="polres-contoh")
    server = connect(remote, polres)
    operator = account_actions.create_staff_user(
        "operator", role=roles.OPERATOR, password="x", agency=pupr(), email="op@example.org"
    )
    workflow.acknowledge(report.pk, user=operator)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transfer(report.pk, user=operator, agency=polres, reason="Salah SKPD")

    assert OutgoingRequest.objects.get(report=report).server == server
    assert len(remote.posts) == 1
    assert not Notification.objects.filter(report=report, agency=polres).exists()


def test_it_learns_the_id_behind_a_token(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake(answer_tokens=True)
    connect(remote)
    report = new_report()
    route(report, django_capture_on_commit_callbacks)
    row = OutgoingRequest.objects.get(report=report)
    assert (row.state, row.external_id, row.token) == ("sent", "", "TOKEN-EXT-1")

    assert tasks.pull_updates()["ids"] == 1

    row.refresh_from_db()
    assert row.external_id == "EXT-1"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_pulls_the_servers_updates_into_the_public_timeline_once(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
    fmt: str,
) -> None:
    remote = fake(fmt=fmt)
    server = connect(remote)
    report = new_report()
    route(report, django_capture_on_commit_callbacks)
    stamp = timezone.now().isoformat()
    nul = "\x00" if fmt == "json" else ""  # XML cannot carry a NUL at all
    remote.updates = [
        {"update_id": "U1", "service_request_id": "EXT-1", "status": "open",
         "updated_datetime": stamp, "description": f"Tim dijadwalkan Senin{nul}"},
        {"update_id": "U2", "service_request_id": "EXT-404", "status": "closed",
         "updated_datetime": stamp, "description": "not ours"},
        {"update_id": "U3", "service_request_id": "EXT-1", "status": "closed",
         "updated_datetime": stamp, "description": "Sudah ditambal " + "x" * 5000},
    ]  # fmt: skip

    first = outgoing.pull_all()
    again = outgoing.pull_all()

    assert (first["updates"], again["updates"]) == (2, 0)
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    notes = list(report.events.filter(agency=server.agency).order_by("id"))
    assert notes[-2].kind == ReportEvent.Kind.NOTE and notes[-2].public
    assert notes[-2].note == "Tim dijadwalkan Senin"
    assert notes[-1].status_to == Report.Status.RESOLVED and len(notes[-1].note) == 2000
    assert IncomingUpdate.objects.count() == 2
    server.refresh_from_db()
    assert server.updates_pulled_until is not None
    window = [c for c in remote.calls if "servicerequestupdates" in c.path][-1].form
    assert window["jurisdiction_id"] == ["pupr.bukittinggikota.go.id"]


def test_it_survives_a_server_that_answers_garbage(
    city: TinyCity, fake: Callable[..., FakeGeoReport]
) -> None:
    remote = fake(broken_answers=True)
    connect(remote)

    assert outgoing.pull_all() == {"servers": 1, "ids": 0, "updates": 0, "failed": 1}


def test_it_sends_the_public_photo_url_but_not_a_sensitive_ones(
    city: TinyCity,
    fake: Callable[..., FakeGeoReport],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = fake()
    connect(remote)
    photo = photos.clean_photo(jpeg_with_gps().read())
    report = new_report(photos=[photo])

    route(report, django_capture_on_commit_callbacks)

    [media_url] = remote.posts[0].form["media_url"]
    assert media_url.endswith(f"/media/photos/{photo.sha256}.jpg")


def test_the_sweep_sends_a_report_whose_announcement_a_dead_worker_lost(
    city: TinyCity, fake: Callable[..., FakeGeoReport]
) -> None:
    remote = fake()
    connect(remote)
    report = new_report()
    routes.route_report(report.pk)  # routed and committed; the worker dies before announcing
    assert not OutgoingRequest.objects.exists()

    assert outgoing.claim_missing() == 1
    assert outgoing.claim_missing() == 0
    row = OutgoingRequest.objects.get(report=report)
    outgoing.send(row.pk)

    assert len(remote.posts) == 1
