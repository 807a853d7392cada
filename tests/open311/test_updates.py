"""servicerequestupdates (mySociety's extension): the public timeline out, clients' updates in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from geo_klik.dispatch.actions import routes
from geo_klik.open311 import actions
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent
from tests.conftest import TinyCity
from tests.open311.conftest import BARAT_UTARA, BASE, Post, category, error_of, xml_records
from tests.open311.test_media import jpeg_with_gps

UPDATE_FIELDS = [
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
]


def filed(post_request: Post, **fields: Any) -> Report:
    [created] = post_request("json", **fields).json()
    return Report.objects.get(tracking_code=created["service_request_id"])


def updates(client: Client, fmt: str = "json", **query: str) -> Any:
    response = client.get(f"{BASE}/servicerequestupdates.{fmt}", query)
    assert response.status_code == 200, response.content
    if fmt == "xml":
        return xml_records(response, root="service_request_updates", item="request_update")
    return response.json()


def post_update(client: Client, key: str, report: Report, fmt: str = "json", **fields: Any) -> Any:
    form = {
        "api_key": key,
        "service_request_id": report.tracking_code,
        "description": "Masih berlubang, makin dalam",
        **fields,
    }
    return client.post(
        f"{BASE}/servicerequestupdates.{fmt}",
        {name: value for name, value in form.items() if value is not None},
    )


def test_it_lists_the_public_timeline_without_private_notes_or_personal_data(
    client: Client, post_request: Post
) -> None:
    report = filed(
        post_request, first_name="Siti", email="siti@example.id", phone="+62 812 1111 2222"
    )
    routes.route_report_and_waiting(report.pk)
    agency = report.assignments.get(active=True, role="primary").agency
    report_actions.add_agency_note(report, agency_id=agency.pk, note="Tim dijadwalkan besok")
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.NOTE,
        actor=ReportEvent.Actor.STAFF,
        agency=agency,
        note="INTERNAL: pelapor tetangga kepala dinas",
        public=False,
    )

    for fmt in ("json", "xml"):
        body = updates(client, fmt, service_request_id=report.tracking_code)
        assert [list(update) for update in body] == [UPDATE_FIELDS] * 3
        assert [u["service_request_id"] for u in body] == [report.tracking_code] * 3
        assert [u["status"] for u in body] == ["open"] * 3
        assert body[0]["description"].startswith("Diterima")
        assert body[1]["description"] == f"Diteruskan: {agency.name_id}"
        assert body[2]["description"] == "Tim dijadwalkan besok"
        assert all(u["updated_datetime"].endswith("+07:00") for u in body)
        text = str(body)
        assert "INTERNAL" not in text
        assert "siti" not in text.lower() and "1111" not in text


def test_it_says_closed_from_the_update_that_resolved_it(
    client: Client, post_request: Post
) -> None:
    report = filed(post_request)
    report_actions.change_status(
        report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF, note="Sudah ditambal"
    )
    report_actions.add_comment(report, text="Terima kasih")

    body = updates(client, "json", service_request_id=report.tracking_code)

    assert [u["status"] for u in body] == ["open", "closed", "closed"]
    assert body[1]["description"] == "Selesai. Sudah ditambal"


def test_it_speaks_english_when_asked(client: Client, post_request: Post) -> None:
    report = filed(post_request)

    response = client.get(
        f"{BASE}/servicerequestupdates.json",
        {"service_request_id": report.tracking_code},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.json()[0]["description"] == "Received"


def test_it_keeps_a_sensitive_reports_comments_to_itself(
    client: Client, post_request: Post
) -> None:
    report = filed(post_request, service_code="crime")
    report_actions.add_comment(report, text="Pencurinya tinggal di rumah nomor 12")

    body = updates(client, "json", service_request_id=report.tracking_code)

    assert body[-1]["description"] == ""
    assert "nomor 12" not in str(body)


def test_it_lists_updates_in_the_window_only(client: Client, post_request: Post) -> None:
    report = filed(post_request)

    assert updates(client, "json", start_date="2020-01-01T00:00:00Z") == []
    assert updates(client, "json", end_date="2020-01-01T00:00:00+07:00") == []
    assert [u["service_request_id"] for u in updates(client)] == [report.tracking_code]


def test_it_pages_with_a_next_link(client: Client, post_request: Post) -> None:
    report = filed(post_request)
    for number in range(3):
        report_actions.add_comment(report, text=f"komentar {number}")

    response = client.get(f"{BASE}/servicerequestupdates.json", {"page_size": "2"})
    second = client.get(f"{BASE}/servicerequestupdates.json", {"page_size": "2", "page": "2"})

    assert len(response.json()) == 2
    assert 'rel="next"' in response["Link"]
    assert [u["description"] for u in second.json()] == ["komentar 1", "komentar 2"]
    assert "Link" not in second


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"start_date": "kemarin"}, "W3C"),
        ({"start_date": "2026-11-05T08:15:30"}, "zone"),
        ({"end_date": "2026-02-30T00:00:00Z"}, "W3C"),
        ({"start_date": "2026-11-01T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"}, "later"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"}, "90"),
        ({"end_date": "9" * 100}, "at most"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "9" * 20}, "page"),
        ({"service_request_id": "x" * 20_001}, "at most"),
    ],
)
def test_it_refuses_malformed_windows(
    client: Client, city: TinyCity, query: dict[str, str], words: str
) -> None:
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/servicerequestupdates.{fmt}", query)
        assert response.status_code == 400
        assert words in error_of(response, fmt)["description"]


def test_it_adds_a_clients_update_to_its_own_request_and_shows_it(
    client: Client, api_key: str, post_request: Post
) -> None:
    report = filed(post_request)

    posted = post_update(client, api_key, report, "xml", update_id_ext="fms-77", status="OPEN")

    assert posted.status_code == 201
    [answer] = xml_records(posted, root="service_request_updates", item="request_update")
    event = ReportEvent.objects.get(pk=int(answer["update_id"]))
    assert event.kind == ReportEvent.Kind.COMMENT and event.public
    assert event.note == "Masih berlubang, makin dalam"
    assert report.events.filter(kind=ReportEvent.Kind.STATUS).count() == 1  # status untouched
    shown = updates(client, "json", service_request_id=report.tracking_code)
    assert shown[-1]["update_id"] == answer["update_id"]
    assert shown[-1]["description"] == "Masih berlubang, makin dalam"


def test_it_records_a_repeated_update_once(
    client: Client, api_key: str, post_request: Post
) -> None:
    report = filed(post_request)

    first = post_update(client, api_key, report, update_id_ext="fms-1").json()
    again = post_update(client, api_key, report, update_id_ext="fms-1").json()
    other = post_update(client, api_key, report, update_id_ext="fms-2").json()

    assert first == again != other
    assert report.events.filter(kind=ReportEvent.Kind.COMMENT).count() == 2


def test_it_takes_a_photo_with_an_update_and_strips_it(
    client: Client, api_key: str, post_request: Post
) -> None:
    report = filed(post_request)

    posted = post_update(client, api_key, report, media=jpeg_with_gps())

    assert posted.status_code == 201, posted.content
    [shown] = updates(client, "json", service_request_id=report.tracking_code)[-1:]
    assert shown["media_url"].startswith("http://testserver/media/photos/")
    photo = client.get(shown["media_url"].removeprefix("http://testserver"))
    assert b"RahasiaPhone" not in b"".join(photo.streaming_content)  # type: ignore[attr-defined]


def test_it_refuses_updates_to_other_keys_requests(
    client: Client, api_key: str, post_request: Post, city: TinyCity
) -> None:
    report = filed(post_request)
    _, other_key = actions.create_api_key(name="Aplikasi lain / another app")
    resident_report, _ = report_actions.create_report(
        category=category("road_damage"),
        lat=BARAT_UTARA[0],
        lon=BARAT_UTARA[1],
        description="Lewat aplikasi KLIK",
    )

    for fmt in ("json", "xml"):
        stolen = post_update(client, other_key, report, fmt)
        not_open311 = post_update(client, api_key, resident_report, fmt)
        assert stolen.status_code == not_open311.status_code == 403
        assert "api_key" in error_of(stolen, fmt)["description"]
    assert not report.events.filter(kind=ReportEvent.Kind.COMMENT).exists()
    assert not resident_report.events.filter(kind=ReportEvent.Kind.COMMENT).exists()


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "o311_guess"}, 403, "api_key"),
        ({"service_request_id": None}, 400, "service_request_id"),
        ({"service_request_id": "ZZZZZZZZZZ"}, 404, "not found"),
        ({"service_request_id": "../../etc"}, 404, "not found"),
        ({"service_request_id": "9" * 41}, 400, "at most 40"),
        ({"description": None}, 400, "description"),
        ({"description": "d" * 2001}, 400, "at most 2000"),
        ({"description": "ada\x00NUL"}, 400, "cannot be stored"),
        ({"status": "exploded"}, 400, "status"),
        ({"updated_datetime": "2026-13-45T99:00:00Z"}, 400, "W3C"),
        ({"update_id_ext": "u" * 101}, 400, "at most 100"),
        ({"email": "bukan-email"}, 400, "email"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"media": b"<?php system($_GET['c']); ?>"}, 400, "not a JPEG"),
    ],
)
def test_it_refuses_hostile_updates(
    client: Client,
    api_key: str,
    post_request: Post,
    fields: dict[str, Any],
    status: int,
    words: str,
) -> None:
    report = filed(post_request)
    if isinstance(fields.get("media"), bytes):
        fields = {"media": SimpleUploadedFile("x.jpg", fields["media"], "image/jpeg")}

    response = post_update(client, api_key, report, **fields)

    assert response.status_code == status, response.content
    assert words in error_of(response, "json")["description"]
    assert not report.events.filter(kind=ReportEvent.Kind.COMMENT).exists()


def test_it_reads_a_page_of_updates_in_a_fixed_number_of_queries(
    client: Client, post_request: Post, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        report = filed(post_request)
        report_actions.add_comment(report, text="foto menyusul")

    with django_assert_num_queries(2):  # the events (status annotated), their photos
        body = updates(client)

    assert len(body) == 6
