"""Residents' follow-up: nearby open reports, support, comments, rating, reopening, timeline."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report, ReportEvent, ReportSupport
from tests.reports.conftest import TINY_LAT, TINY_LON

# About 110 m and 330 m north of the tiny city's test point (0.001° of latitude is ~110.6 m).
NEAR_LAT = TINY_LAT + 0.001
FAR_LAT = TINY_LAT + 0.003


SECRET = actions.reporter_secret_for(None)


@pytest.fixture
def report(categories: dict[str, Category]) -> Report:
    made, _ = actions.create_report(
        category=categories["garbage"],
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah",
        reporter_secret=SECRET,
    )
    return made


@pytest.fixture
def reporter() -> Client:
    """The device that sent the report: it holds the reporter secret."""
    return Client(headers={"X-Reporter-Secret": SECRET})


def errors_of(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert set(body) == {"errors"}, body
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message", "message_en"}
    return list(body["errors"])


def resolve(report: Report, *, ago: timedelta = timedelta(0)) -> None:
    actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - ago)
    report.refresh_from_db()


def a_photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def nearby(client: Client, lat: float, category: str = "garbage") -> Any:
    query = {"category": category, "lat": str(lat), "lon": str(TINY_LON)}
    return client.get("/api/reports/nearby/", query)


def test_it_finds_open_reports_of_the_same_category_within_250_m(
    client: Client, report: Report, categories: dict[str, Category]
) -> None:
    answer = nearby(client, NEAR_LAT)
    assert answer.status_code == 200
    [found] = answer.json()["reports"]
    assert found["tracking_code"] == report.tracking_code
    assert 105 <= found["distance_m"] <= 115
    assert found["url"] == f"/lacak/{report.tracking_code}/"
    assert "description" not in found and "reporter_name" not in found
    assert nearby(client, FAR_LAT).json()["reports"] == []
    assert nearby(client, NEAR_LAT, "crime").json()["reports"] == []
    resolve(report)
    assert nearby(client, NEAR_LAT).json()["reports"] == []


def test_it_refuses_a_nearby_query_without_category_or_coordinates(
    client: Client, categories: dict[str, Category]
) -> None:
    answer = client.get("/api/reports/nearby/", {"lat": "x"})
    assert answer.status_code == 400
    assert {e["field"] for e in errors_of(answer)} == {"category", "lat", "lon"}


def test_it_counts_support_once_per_supporter(client: Client, report: Report) -> None:
    key = str(uuid.uuid4())
    url = f"/api/reports/{report.tracking_code}/support/"
    first = client.post(url, {"supporter_key": key}, content_type="application/json")
    again = client.post(url, {"supporter_key": key}, content_type="application/json")
    body = {"supporter_key": str(uuid.uuid4())}
    other = client.post(url, body, content_type="application/json", REMOTE_ADDR="10.0.0.2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert other.json()["supporters"] == 2
    assert ReportSupport.objects.count() == 2
    view = client.get(f"/api/reports/{report.tracking_code}/").json()
    assert view["supporters"] == 2


def test_it_refuses_support_without_a_key_or_for_a_closed_report(
    client: Client, report: Report
) -> None:
    url = f"/api/reports/{report.tracking_code}/support/"
    bad = client.post(url, {"supporter_key": "me"}, content_type="application/json")
    assert bad.status_code == 400 and errors_of(bad)[0]["field"] == "supporter_key"
    resolve(report)
    closed = client.post(url, {"supporter_key": str(uuid.uuid4())}, content_type="application/json")
    assert closed.status_code == 409 and errors_of(closed)[0]["code"] == "not_open"
    missing = client.post("/api/reports/ZZZZZZZZZZ/support/", {}, content_type="application/json")
    assert missing.status_code == 404


def test_it_adds_a_comment_with_a_photo_to_the_timeline(reporter: Client, report: Report) -> None:
    url = f"/api/reports/{report.tracking_code}/comments/"
    answer = reporter.post(url, {"text": "Makin parah", "photo": a_photo()})
    assert answer.status_code == 201, answer.json()
    view = reporter.get(f"/api/reports/{report.tracking_code}/").json()
    comment = next(e for e in view["timeline"] if e["kind"] == "comment")
    assert comment["note"] == "Makin parah"
    assert len(comment["photos"]) == 1
    assert view["photos"] == []  # the report's own photos only
    empty = reporter.post(url, {"text": "  "})
    assert empty.status_code == 400 and errors_of(empty)[0]["code"] == "required"


def test_it_rates_only_a_resolved_report(reporter: Client, report: Report) -> None:
    url = f"/api/reports/{report.tracking_code}/rating/"
    early = reporter.post(url, {"stars": 5}, content_type="application/json")
    assert early.status_code == 409 and errors_of(early)[0]["code"] == "not_resolved"
    resolve(report)
    bad = reporter.post(url, {"stars": 6}, content_type="application/json")
    assert bad.status_code == 400 and errors_of(bad)[0]["field"] == "stars"
    good = reporter.post(url, {"stars": "4", "comment": "Cepat"}, content_type="application/json")
    assert good.status_code == 200
    again = reporter.post(url, {"stars": 2}, content_type="application/json")
    assert again.json()["stars"] == 2
    view = reporter.get(f"/api/reports/{report.tracking_code}/").json()
    assert view["rating"] == {"stars": 2, "comment": ""}


def test_it_reopens_within_14_days_with_a_reason(reporter: Client, report: Report) -> None:
    url = f"/api/reports/{report.tracking_code}/reopen/"
    resolve(report, ago=timedelta(days=13))
    assert reporter.get(f"/api/reports/{report.tracking_code}/").json()["reopen_until"]
    no_reason = reporter.post(url, {}, content_type="application/json")
    assert no_reason.status_code == 400 and errors_of(no_reason)[0]["field"] == "reason"
    answer = reporter.post(url, {"reason": "Masih ada"}, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["status"]["code"] == "received"  # never routed: back to the queue
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED and report.resolved_at is None
    view = reporter.get(f"/api/reports/{report.tracking_code}/").json()
    statuses = [e["status"]["code"] for e in view["timeline"] if e["status"]]
    assert statuses == ["received", "resolved", "received"]
    assert view["timeline"][-1]["note"] == "Masih ada"


def test_it_refuses_to_reopen_after_14_days(reporter: Client, report: Report) -> None:
    resolve(report, ago=timedelta(days=14, minutes=1))
    answer = reporter.post(
        f"/api/reports/{report.tracking_code}/reopen/",
        {"reason": "Masih ada"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    [problem] = errors_of(answer)
    assert problem["code"] == "reopen_window_closed"
    assert "14 hari" in problem["message"] and "14 days" in problem["message_en"]


def test_it_shows_the_expected_resolution_from_the_category_target(
    client: Client, report: Report
) -> None:
    view = client.get(f"/api/reports/{report.tracking_code}/").json()
    assert view["expected_resolution"]["seconds"] == 2 * 86400
    assert view["expected_resolution"]["text_id"] == "2 hari"


def test_it_shows_no_personal_data_and_rounds_sensitive_reports_on_the_map_feed(
    client: Client, categories: dict[str, Category]
) -> None:
    actions.create_report(
        category=categories["garbage"],
        lat=TINY_LAT,
        lon=TINY_LON,
        description="Sampah di depan rumah Pak Budi",
        reporter_name="Siti",
        reporter_phone="+62 812 3456 7890",
    )
    crime, _ = actions.create_report(
        category=categories["crime"], lat=-0.0051234, lon=100.0051234, description="Copet"
    )
    answer = client.get("/api/map/reports.geojson")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/geo+json"
    text = answer.content.decode()
    # The phone number in every form it could take: a bare "812" also occurs in timestamps.
    for secret in ("Siti", "812 3456", "81234567890", "Budi", "Copet"):
        assert secret not in text
    features = {f["id"]: f for f in answer.json()["features"]}
    assert features[crime.tracking_code]["geometry"]["coordinates"] == [100.005, -0.005]
    assert features[crime.tracking_code]["properties"]["photo"] is None
    only_crime = client.get("/api/map/reports.geojson", {"category": "crime"}).json()
    assert [f["id"] for f in only_crime["features"]] == [crime.tracking_code]
    assert client.get("/api/map/reports.geojson", {"status": "resolved"}).json()["features"] == []
    in_kelurahan = client.get("/api/map/reports.geojson", {"kelurahan": "99.01.02.1001"})
    assert in_kelurahan.json()["features"] == []


def test_it_refuses_bad_map_filters(client: Client, categories: dict[str, Category]) -> None:
    answer = client.get("/api/map/reports.geojson", {"status": "x", "days": "0"})
    assert answer.status_code == 400
    assert {e["field"] for e in errors_of(answer)} == {"status", "days"}
