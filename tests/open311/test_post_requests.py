"""POST requests.xml|json: an Open311 client files a KLIK report with its API key."""

from __future__ import annotations

import pytest
from django.utils import timezone

from geo_klik.open311.models import ApiKey, ServiceRequest
from geo_klik.reports.models import Report
from tests.open311.conftest import OUTSIDE, Post, error_of, json_body, xml_records


def test_it_files_a_report_and_answers_its_tracking_code_in_json(post_request: Post) -> None:
    response = post_request(
        "json",
        first_name="Siti",
        last_name="Rahma",
        email="siti@example.id",
        phone="+62 812 0000 0000",
        device_id="device-1",
        account_id="acct-7",
        media_url="https://example.org/pothole.jpg",
        **{"attribute[WHATEVER]": "ignored"},
    )

    assert response.status_code == 201
    [created] = json_body(response)
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    assert created["account_id"] == "acct-7"
    assert "14 hari" in created["service_notice"]
    report = Report.objects.get(tracking_code=created["service_request_id"])
    assert report.source == Report.Source.OPEN311
    assert report.category.code == "road_damage"
    assert report.kelurahan is not None and report.kelurahan.name == "Barat Utara"
    assert (report.reporter_name, report.reporter_email) == ("Siti Rahma", "siti@example.id")
    assert report.reporter_phone == "+62 812 0000 0000"
    extra = ServiceRequest.objects.get(report=report)
    assert (extra.device_id, extra.account_id) == ("device-1", "acct-7")
    assert extra.media_url == "https://example.org/pothole.jpg"
    assert extra.api_key.last_used_at is not None
    assert "Siti" not in response.content.decode()


def test_it_answers_a_post_in_xml(post_request: Post) -> None:
    response = post_request("xml")

    assert response.status_code == 201
    [created] = xml_records(response, root="service_requests", item="request")
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    assert created["account_id"] == ""
    assert Report.objects.filter(tracking_code=created["service_request_id"]).exists()


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_refuses_a_missing_api_key_with_403(post_request: Post, fmt: str) -> None:
    response = post_request(fmt, api_key=None)

    assert response.status_code == 403
    assert "api_key" in error_of(response, fmt)["description"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_refuses_a_wrong_api_key_with_403(post_request: Post, fmt: str) -> None:
    response = post_request(fmt, api_key="o311_not-a-real-key")

    assert response.status_code == 403
    assert "invalid" in error_of(response, fmt)["description"]


def test_it_refuses_a_deactivated_api_key_with_403(post_request: Post) -> None:
    ApiKey.objects.update(active=False)

    response = post_request("json")

    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"service_code": "unicorns"}, "unicorns"),
        ({"service_code": ""}, "service_code is required"),
        ({"lat": None, "long": None}, "lat and long are required"),
        ({"lat": None, "long": None, "address_string": "Jl. Sudirman"}, "does not geocode"),
        ({"lat": None, "long": None, "address_id": "42"}, "does not geocode"),
        ({"lat": "abc"}, "lat must be a number"),
        ({"long": "NaN"}, "long must be a finite number"),
        ({"long": "200"}, "long must be between -180 and 180"),
        ({"lat": str(OUTSIDE[0]), "long": str(OUTSIDE[1])}, "outside Kota Contoh"),
        ({"email": "not-an-address"}, "email is not a valid address"),
        ({"media_url": "javascript:alert(1)"}, "media_url must be an http or https URL"),
        ({"description": "x" * 4001}, "at most 4000 characters"),
        ({"description": "nul\x00byte"}, "NUL"),
        ({"phone": "1" * 31}, "phone must be at most 30 characters"),
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_it_refuses_bad_input_with_400(
    post_request: Post, fmt: str, fields: dict[str, str | None], expected: str
) -> None:
    response = post_request(fmt, **fields)

    assert response.status_code == 400
    assert expected in error_of(response, fmt)["description"]
    assert not Report.objects.exists()


def test_it_accepts_a_point_just_outside_the_edge_within_tolerance(post_request: Post) -> None:
    """GPS error at the city edge: reports.create_report's tolerance applies to Open311 too."""
    response = post_request("json", lat="0.0003", long="100.005")  # ~33 m north of the edge

    assert response.status_code == 201, response.content


def test_it_refuses_a_foreign_jurisdiction_with_404(post_request: Post) -> None:
    response = post_request("json", jurisdiction_id="padang.go.id")

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_it_keeps_reports_filed_now_within_the_default_window(post_request: Post) -> None:
    before = timezone.now()
    post_request("json")
    assert Report.objects.get().created_at >= before
