"""GET requests.xml|json and requests/<id>.xml|json: the public view of KLIK reports."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from geo_klik.dispatch.actions import routes
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report
from tests.conftest import TinyCity
from tests.open311.conftest import (
    BARAT_UTARA,
    BASE,
    Post,
    category,
    error_of,
    json_body,
    xml_records,
)

REQUEST_KEYS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def make_report(
    code: str = "road_damage",
    *,
    lat_lon: tuple[float, float] = BARAT_UTARA,
    age: timedelta | None = None,
    status: str | None = None,
    **fields: Any,
) -> Report:
    report, _ = report_actions.create_report(
        category=category(code),
        lat=lat_lon[0],
        lon=lat_lon[1],
        description=fields.pop("description", f"{code} report"),
        **fields,
    )
    changes: dict[str, Any] = {}
    if age is not None:
        changes["created_at"] = timezone.now() - age
    if status is not None:
        changes["status"] = status
    if changes:
        Report.objects.filter(pk=report.pk).update(**changes)
        report.refresh_from_db()
    return report


def get_json(client: Client, path: str, **query: str) -> Any:
    response = client.get(f"{BASE}/{path}", query)
    assert response.status_code == 200, response.content
    return json_body(response)


def ids(requests: list[dict[str, Any]]) -> list[str]:
    return [r["service_request_id"] for r in requests]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_round_trips_a_posted_request(client: Client, post_request: Post, fmt: str) -> None:
    posted = post_request(fmt)
    if fmt == "json":
        [created] = json_body(posted)
    else:
        [created] = xml_records(posted, root="service_requests", item="request")
    request_id = created["service_request_id"]
    routes.route_report(Report.objects.get(tracking_code=request_id).pk)

    one = client.get(f"{BASE}/requests/{request_id}.{fmt}")
    listed = client.get(f"{BASE}/requests.{fmt}", {"service_code": "road_damage,garbage"})
    by_id = client.get(f"{BASE}/requests.{fmt}", {"service_request_id": request_id})

    for response in (one, listed, by_id):
        assert response.status_code == 200
        if fmt == "json":
            [request] = json_body(response)
            assert (request["lat"], request["long"]) == BARAT_UTARA
        else:
            [request] = xml_records(response, root="service_requests", item="request")
            assert (request["lat"], request["long"]) == ("-0.005", "100.005")
        assert list(request) == REQUEST_KEYS
        assert request["service_request_id"] == request_id
        assert request["status"] == "open"
        assert request["status_notes"] == "Diteruskan / Routed"
        assert request["service_code"] == "road_damage"
        assert request["service_name"] == "Jalan rusak / berlubang"
        assert request["description"] == "Lubang besar di depan pasar"
        assert request["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
        assert request["address"] == "Kelurahan Barat Utara, Kecamatan Barat, Kota Contoh"
        assert request["requested_datetime"].endswith("+07:00")


def test_it_shows_no_agency_before_routing_and_timestamps_with_offsets(
    client: Client, city: TinyCity
) -> None:
    report = make_report()

    [request] = get_json(client, f"requests/{report.tracking_code}.json")

    assert request["agency_responsible"] is None
    assert request["status_notes"] == "Diterima / Received"
    created = timezone.localtime(report.created_at).replace(microsecond=0)
    assert request["requested_datetime"] == created.isoformat()
    assert request["expected_datetime"] == (created + timedelta(days=14)).isoformat()
    assert request["updated_datetime"].endswith("+07:00")
    assert (request["address_id"], request["zipcode"]) == (None, None)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Report.Status.RECEIVED, "open"),
        (Report.Status.TRIAGE, "open"),
        (Report.Status.ON_SCENE, "open"),
        (Report.Status.TRANSFERRED, "open"),
        (Report.Status.RESOLVED, "closed"),
        (Report.Status.CLOSED, "closed"),
        (Report.Status.REJECTED, "closed"),
        (Report.Status.DUPLICATE, "closed"),
    ],
)
def test_it_maps_statuses_to_open_or_closed(
    client: Client, city: TinyCity, status: str, expected: str
) -> None:
    report = make_report(status=status)

    [request] = get_json(client, f"requests/{report.tracking_code}.json")

    assert request["status"] == expected
    assert request["status_notes"] == Report.Status(status).label


def test_it_filters_by_status_service_and_id(client: Client, city: TinyCity) -> None:
    pothole = make_report("road_damage")
    garbage = make_report("garbage", status=Report.Status.RESOLVED)
    crime = make_report("crime")

    assert ids(get_json(client, "requests.json", status="open")) == [
        crime.tracking_code,
        pothole.tracking_code,
    ]
    assert ids(get_json(client, "requests.json", status="closed")) == [garbage.tracking_code]
    assert len(get_json(client, "requests.json", status="open,closed")) == 3
    assert ids(get_json(client, "requests.json", service_code="garbage,crime")) == [
        crime.tracking_code,
        garbage.tracking_code,
    ]
    both = f"{pothole.tracking_code},{garbage.tracking_code.lower()}"
    assert set(ids(get_json(client, "requests.json", service_request_id=both))) == {
        pothole.tracking_code,
        garbage.tracking_code,
    }
    # service_request_id overrides every other filter, as the specification says.
    assert ids(
        get_json(client, "requests.json", service_request_id=pothole.tracking_code, status="closed")
    ) == [pothole.tracking_code]


def test_it_defaults_to_the_last_90_days(client: Client, city: TinyCity) -> None:
    recent = make_report(age=timedelta(days=89))
    old = make_report(age=timedelta(days=91))

    assert ids(get_json(client, "requests.json")) == [recent.tracking_code]
    # Outside the default window, a report is still found by its id, or by dates.
    assert ids(get_json(client, "requests.json", service_request_id=old.tracking_code)) == [
        old.tracking_code
    ]
    start = (timezone.now() - timedelta(days=100)).isoformat()
    end = (timezone.now() - timedelta(days=20)).isoformat()
    assert ids(get_json(client, "requests.json", start_date=start, end_date=end)) == [
        recent.tracking_code,
        old.tracking_code,
    ]
    assert ids(get_json(client, "requests.json", end_date=end)) == [
        recent.tracking_code,
        old.tracking_code,
    ]
    # With one date only, the window is the 90 days after start_date or before end_date.
    long_ago = (timezone.now() - timedelta(days=180)).isoformat()
    assert ids(get_json(client, "requests.json", start_date=long_ago)) == [old.tracking_code]


def test_it_accepts_utc_and_offset_datetimes(client: Client, city: TinyCity) -> None:
    report = make_report(age=timedelta(hours=2))
    start = (timezone.now() - timedelta(hours=3)).astimezone(UTC)
    in_utc = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    in_wib = timezone.localtime(start).isoformat(timespec="seconds")

    assert ids(get_json(client, "requests.json", start_date=in_utc)) == [report.tracking_code]
    assert ids(get_json(client, "requests.json", start_date=in_wib)) == [report.tracking_code]
    later = timezone.localtime(timezone.now() - timedelta(hours=1)).isoformat()
    assert ids(get_json(client, "requests.json", start_date=later)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"start_date": "yesterday"}, "start_date must be a W3C datetime"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date must be a W3C datetime"),
        ({"start_date": "2026-01-01T00:00:00"}, "with a time zone"),
        ({"start_date": "2026-01-01"}, "start_date must be a W3C datetime"),
        (
            {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            "start_date must not be later than end_date",
        ),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            "may not span more than 90 days",
        ),
        ({"status": "pending"}, "status must be open or closed"),
        ({"page": "0"}, "page must be a whole number"),
        ({"page": "two"}, "page must be a whole number"),
        ({"page_size": "1001"}, "page_size must be a whole number from 1 to 1000"),
        ({"page_size": "-5"}, "page_size must be a whole number"),
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_refuses_bad_query_parameters_with_400(
    client: Client, city: TinyCity, fmt: str, query: dict[str, str], expected: str
) -> None:
    response = client.get(f"{BASE}/requests.{fmt}", query)

    assert response.status_code == 400
    assert expected in error_of(response, fmt)["description"]


def test_it_pages_with_page_and_page_size(client: Client, city: TinyCity) -> None:
    reports = [make_report(age=timedelta(minutes=5 - n)) for n in range(5)]
    newest_first = [r.tracking_code for r in reversed(reports)]

    pages = []
    for number in (1, 2, 3):
        response = client.get(f"{BASE}/requests.json", {"page": number, "page_size": 2})
        pages.append(ids(json_body(response)))
        if number < 3:
            expected = f"<http://testserver/open311/v2/requests.json?page={number + 1}&page_size=2>"
            assert response["Link"] == f'{expected}; rel="next"'
        else:
            assert "Link" not in response

    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    assert get_json(client, "requests.json", page="4", page_size="2") == []


def test_it_answers_at_most_1000_requests_by_default(client: Client, city: TinyCity) -> None:
    first = make_report()
    Report.objects.bulk_create(
        Report(
            tracking_code=f"BULK{n:06d}",
            category=first.category,
            location=first.location,
            description="bulk",
            kelurahan=first.kelurahan,
            address=first.address,
        )
        for n in range(1000)
    )

    response = client.get(f"{BASE}/requests.json")

    assert len(json_body(response)) == 1000
    assert 'page=2>; rel="next"' in response["Link"]
    assert len(get_json(client, "requests.json", page="2")) == 1


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_answers_404_for_an_unknown_request(client: Client, city: TinyCity, fmt: str) -> None:
    response = client.get(f"{BASE}/requests/NOSUCHCODE.{fmt}")

    assert response.status_code == 404
    assert "NOSUCHCODE" in error_of(response, fmt)["description"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_never_shows_personal_data(client: Client, post_request: Post, fmt: str) -> None:
    personal = {
        "first_name": "Siti",
        "last_name": "Rahmawati",
        "email": "siti.rahmawati@example.id",
        "phone": "081299998888",
        "device_id": "device-secret-77",
        "account_id": "account-secret-88",
    }
    post_request(fmt, **personal)
    report = Report.objects.get()
    assert report.reporter_email == personal["email"]

    for path in (f"requests/{report.tracking_code}.{fmt}", f"requests.{fmt}"):
        content = client.get(f"{BASE}/{path}").content.decode()
        assert report.tracking_code in content
        for value in personal.values():
            assert value not in content, (path, value)


def test_it_blurs_sensitive_reports(client: Client, city: TinyCity) -> None:
    crime = make_report(
        "crime", lat_lon=(-0.0051234, 100.0056789), description="Rumah saya di Jl. Mawar 5"
    )
    Report.objects.filter(pk=crime.pk).update(address="Jl. Mawar No. 5, Barat Utara")
    report_actions.store_photo(crime, png_photo())

    [as_json] = get_json(client, f"requests/{crime.tracking_code}.json")
    [as_xml] = xml_records(
        client.get(f"{BASE}/requests/{crime.tracking_code}.xml"),
        root="service_requests",
        item="request",
    )

    assert (as_json["lat"], as_json["long"]) == (-0.005, 100.006)
    assert (as_xml["lat"], as_xml["long"]) == ("-0.005", "100.006")
    assert as_json["media_url"] is None and as_xml["media_url"] == ""
    assert as_json["description"] == "" and as_xml["description"] == ""
    assert as_json["address"] == "Kelurahan Barat Utara, Kecamatan Barat, Kota Contoh"
    assert "Mawar" not in str(as_json) and "Mawar" not in str(as_xml)


def png_photo() -> report_actions.NewPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format="PNG")
    content = buffer.getvalue()
    return report_actions.NewPhoto(
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        content_type="image/png",
        extension="png",
    )


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_it_links_the_first_photo_as_media_url(
    client: Client, post_request: Post, media_root: Path
) -> None:
    with_photo = make_report()
    photo = png_photo()
    report_actions.store_photo(with_photo, photo)
    post_request("json", media_url="https://example.org/their-photo.jpg")
    from_client = Report.objects.get(source=Report.Source.OPEN311)
    without = make_report()

    by_id = {r["service_request_id"]: r for r in get_json(client, "requests.json")}

    media_url = f"http://testserver/media/photos/{photo.sha256}.png"
    assert by_id[with_photo.tracking_code]["media_url"] == media_url
    assert by_id[from_client.tracking_code]["media_url"] == "https://example.org/their-photo.jpg"
    assert by_id[without.tracking_code]["media_url"] is None
    assert (media_root / "photos" / f"{photo.sha256}.png").exists()


def test_it_reads_a_page_in_a_fixed_number_of_queries(
    client: Client, city: TinyCity, django_assert_max_num_queries: Any
) -> None:
    for _ in range(10):
        routes.route_report(make_report().pk)

    with django_assert_max_num_queries(3):
        assert len(get_json(client, "requests.json")) == 10


def test_it_writes_well_formed_xml_whatever_the_report_says(client: Client, city: TinyCity) -> None:
    report = make_report(description="bel\x07 <b>&amp;</b> \x1b[31m merah ]]> 🕳️ é")

    [as_xml] = xml_records(
        client.get(f"{BASE}/requests/{report.tracking_code}.xml"),
        root="service_requests",
        item="request",
    )
    [as_json] = get_json(client, f"requests/{report.tracking_code}.json")

    assert as_xml["description"] == "bel <b>&amp;</b> [31m merah ]]> 🕳️ é"
    assert as_json["description"] == report.description
