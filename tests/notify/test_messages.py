"""Public changes become messages to the reporter: merged, at most one per report per window."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from geo_klik.agencies.models import Agency
from geo_klik.notify import actions
from geo_klik.notify.models import Delivery, Message
from geo_klik.reports import actions as report_actions
from geo_klik.reports import credentials
from geo_klik.reports.models import Category, Report, ReportEvent, ReportPhoto
from tests.notify.conftest import EMAIL, SECRET, Queued, add_contact

STAFF = ReportEvent.Actor.STAFF


def change(report: Report, status: str, **kwargs: object) -> ReportEvent:
    return report_actions.change_status(report, status, actor=STAFF, **kwargs)  # type: ignore[arg-type]


def test_it_tells_nobody_without_a_contact(report: Report, queued: Queued) -> None:
    change(report, Report.Status.ACKNOWLEDGED)
    assert not Message.objects.exists()


def test_it_merges_quick_changes_into_one_message(
    report: Report, agency: Agency, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    change(report, Report.Status.ACKNOWLEDGED, agency_id=agency.pk)
    change(report, Report.Status.DISPATCHED, agency_id=agency.pk)
    (message,) = Message.objects.all()
    assert message.events.count() == 2
    assert message.language == "id"


def test_it_makes_the_next_message_wait_a_full_window(report: Report, queued: Queued) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    first_event = change(report, Report.Status.ACKNOWLEDGED)
    first = Message.objects.get()
    assert first.not_before <= timezone.now()
    assert actions.seal(first.pk) != []
    change(report, Report.Status.ON_SCENE)
    second = Message.objects.exclude(pk=first.pk).get()
    assert second.not_before == first.not_before + timedelta(seconds=60)
    # Not due yet: sealing it now does nothing, a minute later it goes.
    assert actions.seal(second.pk) == []
    assert actions.seal(second.pk, now=second.not_before) != []
    assert list(first.events.all()) == [first_event]


def test_it_skips_private_and_the_reporters_own_events(report: Report, queued: Queued) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    change(report, Report.Status.ACKNOWLEDGED, public=False)
    report_actions.change_status(
        report, Report.Status.ACKNOWLEDGED, actor=ReportEvent.Actor.RESIDENT
    )
    assert not Message.objects.exists()


def test_it_queues_sealing_after_commit_at_not_before(
    report: Report, queued: Queued, django_capture_on_commit_callbacks: object
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        change(report, Report.Status.ACKNOWLEDGED)
    message = Message.objects.get()
    assert queued.ids(actions.SEAL_TASK) == [message.pk]
    ((_, _, options),) = queued.calls
    assert options["eta"] == message.not_before


def test_it_words_each_change_in_the_reporters_language(
    report: Report, agency: Agency, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, channels=["email"], language="en")
    change(report, Report.Status.ROUTED, agency_id=agency.pk)
    change(report, Report.Status.TRANSFERRED, agency_id=agency.pk, note="Wrong district")
    change(report, Report.Status.RESOLVED, agency_id=agency.pk, note="Hole patched")
    change(report, Report.Status.ROUTED)  # reopened
    report_actions.add_agency_note(report, agency_id=agency.pk, note="Crew comes back Monday")
    rendered = actions.render(Message.objects.get())
    assert rendered.lang == "en"
    assert "5 updates" in rendered.subject and report.tracking_code in rendered.subject
    for words in (
        "routed to Public Works",
        "transferred to Public Works",
        "Reason: Wrong district",
        "Public Works marked your report as resolved",
        "Note from Public Works: Hole patched",
        "Your report was reopened",
        "Note from Public Works: Crew comes back Monday",
    ):
        assert words in rendered.text


def test_it_words_rejection_and_duplicate_in_indonesian(report: Report, queued: Queued) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    change(report, Report.Status.REJECTED, note="Bukan wewenang kota")
    text = actions.render(Message.objects.get()).text
    assert "Laporan Anda ditolak." in text and "Alasan: Bukan wewenang kota" in text


def test_it_links_to_the_tracking_page_with_a_token_that_acts_as_the_secret(
    report: Report, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    change(report, Report.Status.ACKNOWLEDGED)
    url = actions.render(Message.objects.get()).url
    prefix = f"http://localhost:8000/lacak/{report.tracking_code}/#rahasia="
    assert url.startswith(prefix)
    token = url.removeprefix(prefix)
    assert SECRET not in url and report.reporter_secret_sha256 not in url
    assert report.is_reporter(token) and report.is_reporter(SECRET)
    assert not report.is_reporter(token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_it_kills_the_token_with_the_secret_and_binds_it_to_the_report(report: Report) -> None:
    token = credentials.link_token(report.pk, report.reporter_secret_sha256)
    other = credentials.link_token(report.pk + 1, report.reporter_secret_sha256)
    assert token != other and not report.is_reporter(other)
    report.reporter_secret_sha256 = "0" * 64
    assert not report.is_reporter(token)


def test_it_finds_events_written_in_bulk_in_the_sweep(report: Report, queued: Queued) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    # Routing writes its timeline in bulk (no post_save): the sweep finds them.
    ReportEvent.objects.bulk_create(
        [ReportEvent(report=report, kind="status", actor="system", status_to="routed")]
    )
    assert not Message.objects.exists()
    assert actions.sweep()["attached"] == 1
    assert Message.objects.get().events.count() == 1
    assert Delivery.objects.get().channel == "email"
    # Twice is once.
    assert actions.sweep()["attached"] == 0


def test_it_links_the_after_photo_of_a_resolution_but_never_for_a_sensitive_report(
    report: Report, agency: Agency, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    resolved = change(report, Report.Status.RESOLVED, agency_id=agency.pk, note="Sudah diangkut")
    ReportPhoto.objects.create(
        report=report,
        event=resolved,
        sha256="ab" * 32,
        image="photos/after.jpg",
        width=10,
        height=10,
        content_type="image/jpeg",
    )
    text = actions.render(Message.objects.get()).text
    assert "Catatan dari Dinas PUPR: Sudah diangkut" in text
    assert "Foto sesudah: http://localhost:8000/media/photos/after.jpg" in text
    Category.objects.filter(pk=report.category_id).update(sensitive=True)
    assert "after.jpg" not in actions.render(Message.objects.get()).text
