"""The resolution's message asks "is it fixed?" with the reporter's link (issue 15, item 3)."""

from __future__ import annotations

from geo_klik.notify import actions, texts
from geo_klik.notify.models import Message
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent
from tests.notify.conftest import EMAIL, Queued, add_contact


def facts(status_to: str, status_from: str = "on_scene", note: str = "") -> texts.EventFacts:
    return texts.EventFacts("status", status_from, status_to, note, "Dinas PUPR", "Public Works")


def test_it_asks_only_when_the_message_leaves_the_report_resolved() -> None:
    subject, body = texts.compose("AB12", [facts("resolved", note="Sudah ditambal.")], "id")
    assert "Sudah beres? Jawab Ya atau Belum" in body and "14 hari" in body
    assert subject == "[KLIK AB12] Dinas PUPR menyatakan laporan Anda selesai."
    _, english = texts.compose("AB12", [facts("resolved")], "en")
    assert "Is it fixed? Answer Yes or Not yet" in english and "14 days" in english
    # Resolved then reopened within one message: nothing to ask.
    _, later = texts.compose("AB12", [facts("resolved"), facts("routed", "resolved")], "id")
    assert "Sudah beres?" not in later
    _, other = texts.compose("AB12", [facts("acknowledged", "routed")], "id")
    assert "Sudah beres?" not in other


def test_the_question_states_the_real_window() -> None:
    assert report_actions.REOPEN_WINDOW.days == texts.REOPEN_DAYS


def test_the_resolution_message_carries_the_question_and_the_reporters_link(
    report: Report, queued: Queued
) -> None:
    add_contact(report, email=EMAIL, channels=["email"])
    report_actions.change_status(
        report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF, note="Sudah diangkut."
    )
    rendered = actions.render(Message.objects.get())
    assert "Sudah diangkut." in rendered.text and "Sudah beres?" in rendered.text
    assert f"/lacak/{report.tracking_code}/#rahasia=" in rendered.url
