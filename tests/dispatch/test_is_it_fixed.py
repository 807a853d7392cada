"""The reporter's "is it fixed?": not fixed reopens once, twice goes to the supervisor, fixed and
silence close it (issue 15, item 3)."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from geo_klik.analytics import actions as analytics_actions
from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.queries import performance
from geo_klik.dispatch.actions import notifications, workflow
from geo_klik.dispatch.models import Handling, Notification
from geo_klik.notify.models import Message, ReporterContact
from geo_klik.reports import actions, tasks
from geo_klik.reports.models import Report, ReportEvent, ReportPhoto, hash_reporter_secret
from tests.personas import BARAT, Personas

S = Report.Status
SECRET = actions.reporter_secret_for(None)
OTHER_SECRET = actions.reporter_secret_for(None)


@pytest.fixture(autouse=True)
def media_and_limits(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORTS_RATE_LIMIT = ""
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = ""
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = ""


@pytest.fixture
def pothole(personas: Personas, routed_report: Any) -> Report:
    """A routed report of Dinas PUPR whose reporter holds SECRET; the agency has an e-mail."""
    personas.pupr_agency.email = "pupr@bukittinggikota.go.id"
    personas.pupr_agency.save()
    report: Report = routed_report(
        BARAT, "road_damage", reporter_secret_sha256=hash_reporter_secret(SECRET)
    )
    assert report.status == S.ROUTED
    return report


def resolve(report: Report, personas: Personas, *, note: str = "Sudah ditambal.") -> None:
    if report.status != S.ACKNOWLEDGED:
        workflow.acknowledge(report.pk, user=personas.pupr)
    workflow.resolve(report.pk, user=personas.pupr, note=note)
    report.refresh_from_db()


def reporter(secret: str = SECRET) -> Client:
    return Client(headers={"X-Reporter-Secret": secret})


def a_photo_with_gps() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "RahasiaPhone"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (0.0, 18.0, 30.5), "E", (100.0, 22.0, 10.25)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG", exif=exif)
    assert b"RahasiaPhone" in buffer.getvalue()
    return SimpleUploadedFile("lubang.jpg", buffer.getvalue(), content_type="image/jpeg")


def not_fixed(report: Report, words: str, **extra: Any) -> Any:
    return reporter().post(
        f"/api/reports/{report.tracking_code}/reopen/", {"reason": words, **extra}
    )


def test_it_reopens_once_with_the_residents_words_and_photo_back_in_the_agencys_queue(
    personas: Personas, pothole: Report
) -> None:
    resolve(pothole, personas)
    answer = not_fixed(pothole, "Lubangnya masih ada.", photo=a_photo_with_gps())
    assert answer.status_code == 200, answer.content
    assert answer.json()["tracking_code"] == pothole.tracking_code
    assert answer.json()["status"]["code"] == "routed" and answer.json()["escalated"] is False
    pothole.refresh_from_db()
    assert pothole.status == S.ROUTED and pothole.resolved_at is None
    event = ReportEvent.objects.filter(report=pothole).latest("id")
    assert (event.actor, event.status_from, event.status_to, event.note) == (
        "resident",
        "resolved",
        "routed",
        "Lubangnya masih ada.",
    )
    # The photo is the resident's, attached to the reopening, stripped like report photos.
    [photo] = ReportPhoto.objects.filter(event=event)
    assert b"RahasiaPhone" not in photo.image.read()
    # The claim is released: the agency's queue has it again and anyone of the agency claims it.
    assert Handling.objects.get(report=pothole).claimed_by is None
    queue = personas.client(personas.pupr2).get("/api/staff/reports/").json()["results"]
    assert pothole.pk in [row["id"] for row in queue]
    workflow.acknowledge(pothole.pk, user=personas.pupr2)
    # The agency is told, once.
    [told] = Notification.objects.filter(report=pothole, kind="reopened")
    assert told.agency == personas.pupr_agency and told.recipient == "pupr@bukittinggikota.go.id"
    assert "belum beres" in told.subject
    assert not Notification.objects.filter(kind="not_fixed_again").exists()


def test_a_second_not_fixed_goes_to_the_command_center_supervisor_instead(
    personas: Personas, pothole: Report
) -> None:
    resolve(pothole, personas)
    assert not_fixed(pothole, "Masih berlubang.").status_code == 200
    resolve(pothole, personas, note="Ditambal lagi.")
    answer = not_fixed(pothole, "Tetap berlubang, sudah dua kali.")
    assert answer.status_code == 200
    assert answer.json()["escalated"] is True
    assert answer.json()["status"]["code"] == "triage"
    pothole.refresh_from_db()
    assert pothole.status == S.TRIAGE
    # Not reopened for the agency: its "reopened" notification went out only the first time.
    assert Notification.objects.filter(kind="reopened").count() == 1
    # The supervisors are told, and the console shows why it is in triage (internal entry).
    [told] = Notification.objects.filter(report=pothole, kind="not_fixed_again")
    assert told.recipient == personas.supervisor.email
    detail = personas.client(personas.supervisor).get(f"/api/staff/reports/{pothole.pk}/").json()
    notes = [e["note"] for e in detail["events"] if not e["public"]]
    assert any("supervisor Command Center" in note for note in notes)
    assert Handling.objects.get(report=pothole).claimed_by is None
    # The Command Center's queue has it; a supervisor claims it.
    queue = personas.client(personas.operator).get("/api/staff/reports/").json()["results"]
    assert pothole.pk in [row["id"] for row in queue]
    workflow.acknowledge(pothole.pk, user=personas.supervisor)
    # The public timeline keeps the resident's words, not the internal note.
    public = reporter().get(f"/api/reports/{pothole.tracking_code}/").json()
    assert "Tetap berlubang, sudah dua kali." in str(public)
    assert "supervisor Command Center" not in str(public)


def test_fixed_closes_it_and_asks_no_more(personas: Personas, pothole: Report) -> None:
    resolve(pothole, personas)
    answer = reporter().post(f"/api/reports/{pothole.tracking_code}/fixed/")
    assert answer.status_code == 200
    assert answer.json()["status"]["code"] == "closed"
    pothole.refresh_from_db()
    assert pothole.status == S.CLOSED
    event = ReportEvent.objects.filter(report=pothole).latest("id")
    assert (event.actor, event.status_to) == ("resident", "closed")
    again = reporter().post(f"/api/reports/{pothole.tracking_code}/fixed/")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "not_resolved"
    late = not_fixed(pothole, "Eh, belum.")
    assert late.status_code == 409 and late.json()["errors"][0]["code"] == "not_resolved"


def test_no_answer_in_14_days_closes_it(personas: Personas, pothole: Report) -> None:
    resolve(pothole, personas)
    assert pothole.resolved_at is not None
    assert actions.close_unanswered(now=pothole.resolved_at + timedelta(days=13, hours=23)) == 0
    assert Report.objects.get(pk=pothole.pk).status == S.RESOLVED
    assert actions.close_unanswered(now=pothole.resolved_at + timedelta(days=14, seconds=1)) == 1
    pothole.refresh_from_db()
    assert pothole.status == S.CLOSED
    event = ReportEvent.objects.filter(report=pothole).latest("id")
    assert (event.actor, event.status_from, event.public) == ("system", "resolved", True)
    assert "14 hari" in event.note and "14 days" in event.note
    # Run again (or by a second beat): nothing twice.
    assert actions.close_unanswered(now=timezone.now() + timedelta(days=30)) == 0
    assert ReportEvent.objects.filter(report=pothole, status_to=S.CLOSED).count() == 1


def test_the_beat_task_closes_what_is_due_with_the_real_clock(
    personas: Personas, pothole: Report, routed_report: Any
) -> None:
    resolve(pothole, personas)
    recent: Report = routed_report(BARAT, "road_damage")
    resolve(recent, personas)
    Report.objects.filter(pk=pothole.pk).update(resolved_at=timezone.now() - timedelta(days=15))
    assert tasks.close_unanswered.apply().get() == 1
    assert Report.objects.get(pk=pothole.pk).status == S.CLOSED
    assert Report.objects.get(pk=recent.pk).status == S.RESOLVED


def test_not_fixed_after_14_days_is_refused_with_a_clear_message(
    personas: Personas, pothole: Report
) -> None:
    resolve(pothole, personas)
    Report.objects.filter(pk=pothole.pk).update(resolved_at=timezone.now() - timedelta(days=15))
    answer = not_fixed(pothole, "Belum beres.")
    assert answer.status_code == 409
    [problem] = answer.json()["errors"]
    assert problem["code"] == "reopen_window_closed"
    assert "14 hari" in problem["message"] and "14 days" in problem["message_en"]
    assert Report.objects.get(pk=pothole.pk).status == S.RESOLVED


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"reason": ""}, "reason", "required"),
        ({"reason": "a\x00b"}, None, None),
        ({"reason": "x" * 1001}, "reason", "max_length"),
        ({"reason": "ok", "photo": SimpleUploadedFile("x.jpg", b"not a picture")}, "photo", None),
    ],
)
def test_it_refuses_hostile_answers_and_changes_nothing(
    personas: Personas, pothole: Report, body: dict[str, Any], field: str | None, code: str | None
) -> None:
    resolve(pothole, personas)
    answer = reporter().post(f"/api/reports/{pothole.tracking_code}/reopen/", body)
    assert answer.status_code == 400, answer.content
    problem = answer.json()["errors"][0]
    if field is not None:
        assert problem["field"] == field
    if code is not None:
        assert problem["code"] == code
    assert problem["message"] and problem["message_en"]
    assert Report.objects.get(pk=pothole.pk).status == S.RESOLVED


def test_it_refuses_a_json_list_and_two_photos(personas: Personas, pothole: Report) -> None:
    resolve(pothole, personas)
    url = f"/api/reports/{pothole.tracking_code}/reopen/"
    listed = reporter().post(url, ["reason"], content_type="application/json")
    assert listed.status_code == 400
    two = reporter().post(
        url, {"reason": "dua foto", "photo": [a_photo_with_gps(), a_photo_with_gps()]}
    )
    assert two.status_code == 400 and two.json()["errors"][0]["code"] == "too_many"
    assert Report.objects.get(pk=pothole.pk).status == S.RESOLVED


def test_only_the_reporter_answers(personas: Personas, pothole: Report, routed_report: Any) -> None:
    resolve(pothole, personas)
    other: Report = routed_report(
        BARAT, "road_damage", reporter_secret_sha256=hash_reporter_secret(OTHER_SECRET)
    )
    code = pothole.tracking_code
    for client in (
        Client(),
        reporter(OTHER_SECRET),  # another report's own secret
        reporter("x" * 5000),
        reporter(SECRET[:-1] + "\u0000"),
    ):
        for path in ("reopen/", "fixed/"):
            answer = client.post(f"/api/reports/{code}/{path}", {"reason": "bukan saya"})
            assert answer.status_code in (400, 403), (path, answer.content)
    assert reporter().post(f"/api/reports/{other.tracking_code}/fixed/").status_code == 403
    assert reporter().post("/api/reports/ZZZZZZZZZZ/fixed/").status_code == 404
    assert Report.objects.get(pk=pothole.pk).status == S.RESOLVED


def test_it_counts_in_the_skpds_reopen_figure(personas: Personas, pothole: Report) -> None:
    resolve(pothole, personas)
    assert not_fixed(pothole, "Belum.").status_code == 200
    resolve(pothole, personas)
    analytics_actions.refresh_facts()
    today = timezone.localdate()
    where = ReportFilter(start=today - timedelta(days=1), end=today)
    [pupr] = [
        p
        for p in performance.skpd_performance(where, min_reports=1)
        if p.agency == personas.pupr_agency.name_id
    ]
    assert pupr.reopen_pct == 100.0


def test_redis_down_when_the_resident_answers_loses_nothing(
    personas: Personas,
    pothole: Report,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ReporterContact.objects.create(
        report=pothole,
        email="warga@example.id",
        channels=["email"],
        notify_from=pothole.created_at,
    )
    resolve(pothole, personas)

    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    # Every way a task reaches the broker (send_task, a signature's apply_async) fails.
    monkeypatch.setattr(Celery, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        answer = not_fixed(pothole, "Belum, airnya masih menggenang.")
    assert answer.status_code == 200
    pothole.refresh_from_db()
    assert pothole.status == S.ROUTED
    assert ReportEvent.objects.filter(note="Belum, airnya masih menggenang.").count() == 1
    # The agency's notification waits as pending for the resend job, nothing dropped.
    [told] = Notification.objects.filter(report=pothole, kind="reopened")
    assert told.state == Notification.State.PENDING and told.attempts == 0
    assert told.pk in notifications.stale_pending(now=timezone.now() + timedelta(minutes=5))
    # The reporter's own acts are not echoed to them; the staff's next step is.
    assert not Message.objects.filter(events__note="Belum, airnya masih menggenang.").exists()


@pytest.mark.django_db(transaction=True)
def test_a_late_not_fixed_and_the_auto_close_never_both_happen(
    personas: Personas, pothole: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The resident answers at the very moment the 14-day job runs: exactly one of them wins."""
    resolve(pothole, personas)
    assert pothole.resolved_at is not None
    deadline = pothole.resolved_at + timedelta(days=14)
    real = actions.change_status_of_locked

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # hold the row lock, so the other one surely meets it
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "change_status_of_locked", slow)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def answer() -> None:
        try:
            start.wait()
            actions.reopen_report(pothole, reason="Belum beres.", now=deadline)
            outcomes["answer"] = "reopened"
        except actions.NotResolved:
            outcomes["answer"] = "not_resolved"
        finally:
            connection.close()

    def job() -> None:
        try:
            start.wait()
            outcomes["job"] = str(actions.close_unanswered(now=deadline + timedelta(seconds=1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=answer), threading.Thread(target=job)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    pothole.refresh_from_db()
    if pothole.status == S.ROUTED:
        assert outcomes == {"answer": "reopened", "job": "0"}
    else:
        assert pothole.status == S.CLOSED
        assert outcomes == {"answer": "not_resolved", "job": "1"}
    leaving = ReportEvent.objects.filter(report=pothole, status_from=S.RESOLVED)
    assert leaving.count() == 1
