"""The reporter deletes their contact details, or the whole unrouted report (issue 15, item 5).

Both through the reporter-secret API, both confirmed; hostile input changes nothing.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from geo_klik.notify.models import ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports import credentials
from geo_klik.reports.models import Category, Report, ReportPhoto
from tests.conftest import TinyCity
from tests.notify.conftest import EMAIL, PHONE, SECRET, TINY_LAT, TINY_LON, add_contact

OTHER_SECRET = "o7h3r-o7h3r-o7h3r-o7h3r-o7h3r-ab"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make(tiny_city: TinyCity, secret: str = SECRET, **fields: Any) -> Report:
    category, _ = Category.objects.get_or_create(
        code="garbage", defaults={"name_id": "Sampah", "name_en": "Garbage"}
    )
    made, _ = report_actions.create_report(
        category=category,
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah",
        reporter_secret=secret,
        reporter_name="Siti",
        reporter_phone=PHONE,
        reporter_email=EMAIL,
        **fields,
    )
    add_contact(made, email=EMAIL, channels=["email"])
    return made


def reporter(secret: str = SECRET) -> Client:
    return Client(headers={"X-Reporter-Secret": secret})


def forget(client: Client, code: str, body: Any = None) -> Any:
    return client.post(
        f"/api/reports/{code}/forget-contact/",
        body if body is not None else {"confirm": True},
        content_type="application/json",
    )


def withdraw(client: Client, code: str, body: Any = None) -> Any:
    return client.post(
        f"/api/reports/{code}/withdraw/",
        body if body is not None else {"confirm": True},
        content_type="application/json",
    )


def test_the_reporter_deletes_their_contact_details(tiny_city: TinyCity) -> None:
    report = make(tiny_city)
    answer = forget(reporter(), report.tracking_code)
    assert answer.status_code == 200
    assert answer.json()["deleted"] is True and answer.json()["channels"] == []
    row = Report.objects.get(pk=report.pk)
    assert (row.reporter_name, row.reporter_phone, row.reporter_email) == ("", "", "")
    assert not ReporterContact.objects.filter(report=report).exists()
    assert row.status == "received" and row.description == "Sampah"  # the report stays
    again = forget(reporter(), report.tracking_code)
    assert again.status_code == 200 and again.json()["deleted"] is False


def test_the_link_token_of_a_notification_may_delete_them_too(tiny_city: TinyCity) -> None:
    report = make(tiny_city)
    token = credentials.link_token(report.pk, report.reporter_secret_sha256)
    assert forget(reporter(token), report.tracking_code).status_code == 200
    assert not ReporterContact.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    "body", [{}, {"confirm": False}, {"confirm": "maybe"}, {"confirm": "\x00"}, ["confirm"], "yes"]
)
def test_nothing_is_deleted_without_a_confirmation(tiny_city: TinyCity, body: Any) -> None:
    report = make(tiny_city)
    for call in (forget, withdraw):
        answer = call(reporter(), report.tracking_code, body)
        assert answer.status_code == 400, answer.content
        problem = answer.json()["errors"][0]
        assert problem["message"] and problem["message_en"]
    assert ReporterContact.objects.filter(report=report).exists()
    assert Report.objects.get(pk=report.pk).reporter_phone == PHONE


def test_wrong_secrets_and_other_peoples_codes_are_refused(tiny_city: TinyCity) -> None:
    mine = make(tiny_city)
    theirs = make(tiny_city, secret=OTHER_SECRET)
    for client, code in (
        (Client(), mine.tracking_code),
        (reporter("wrong"), mine.tracking_code),
        (reporter("x" * 4000), mine.tracking_code),
        (reporter(SECRET), theirs.tracking_code),  # my secret, someone else's report
        (
            reporter(credentials.link_token(mine.pk, mine.reporter_secret_sha256)),
            theirs.tracking_code,
        ),
    ):
        for call in (forget, withdraw):
            answer = call(client, code)
            assert answer.status_code == 403, (call.__name__, answer.content)
            assert answer.json()["errors"][0]["code"] in ("not_reporter", "reporter_unknown")
    assert Report.objects.count() == 2 and ReporterContact.objects.count() == 2
    assert forget(reporter(), "ZZZZZZZZZZ").status_code == 404
    assert withdraw(reporter(), "A\x00B").status_code in (400, 404)


def test_the_reporter_deletes_an_unrouted_report_with_its_photos(
    tiny_city: TinyCity, django_capture_on_commit_callbacks: Any
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "JPEG")
    report = make(tiny_city)
    photo = report_actions.store_photo(
        report,
        report_actions.NewPhoto(
            sha256="ab" * 32, content=buffer.getvalue(), content_type="image/jpeg", extension="jpg"
        ),
    )
    path = Path(photo.image.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row has
        answer = withdraw(reporter(), report.tracking_code)
    assert answer.status_code == 204
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not ReporterContact.objects.exists() and not ReportPhoto.objects.exists()
    assert not path.exists()
    assert reporter().get(f"/api/reports/{report.tracking_code}/").status_code == 404


def test_a_photo_file_another_report_shares_is_kept(
    tiny_city: TinyCity, django_capture_on_commit_callbacks: Any
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "JPEG")
    same = report_actions.NewPhoto(
        sha256="cd" * 32, content=buffer.getvalue(), content_type="image/jpeg", extension="jpg"
    )
    mine, theirs = make(tiny_city), make(tiny_city, secret=OTHER_SECRET)
    report_actions.store_photo(mine, same)
    kept = report_actions.store_photo(theirs, same)
    with django_capture_on_commit_callbacks(execute=True):
        assert withdraw(reporter(), mine.tracking_code).status_code == 204
    assert Path(kept.image.path).exists()


@pytest.mark.parametrize("status", ["routed", "triage", "acknowledged", "resolved", "closed"])
def test_a_routed_report_cannot_be_deleted_and_says_why(tiny_city: TinyCity, status: str) -> None:
    report = make(tiny_city)
    Report.objects.filter(pk=report.pk).update(status=status, routed_at=timezone.now())
    answer = withdraw(reporter(), report.tracking_code)
    assert answer.status_code == 409
    [problem] = answer.json()["errors"]
    assert problem["code"] == "already_routed"
    assert "tidak bisa dihapus" in problem["message"]
    assert "can no longer be deleted" in problem["message_en"]
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_report_received_again_after_routing_is_not_unrouted(tiny_city: TinyCity) -> None:
    report = make(tiny_city)
    Report.objects.filter(pk=report.pk).update(routed_at=timezone.now())  # reopened unrouted
    assert withdraw(reporter(), report.tracking_code).status_code == 409


def test_a_report_from_before_secrets_cannot_be_managed(tiny_city: TinyCity) -> None:
    report = make(tiny_city)
    Report.objects.filter(pk=report.pk).update(reporter_secret_sha256="")
    assert forget(reporter(), report.tracking_code).status_code == 403
    assert withdraw(reporter(), report.tracking_code).status_code == 403


def test_a_photo_upload_is_no_confirmation(tiny_city: TinyCity) -> None:
    report = make(tiny_city)
    answer = reporter().post(
        f"/api/reports/{report.tracking_code}/withdraw/",
        {"confirm": SimpleUploadedFile("c.txt", b"true")},
    )
    assert answer.status_code == 400
    assert Report.objects.filter(pk=report.pk).exists()
