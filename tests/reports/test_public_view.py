"""GET /api/reports/<tracking_code>/: what anyone with the code sees, and what nobody does."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from geo_klik.boundaries.models import Kelurahan
from geo_klik.dispatch.actions import routes
from geo_klik.dispatch.models import RoutingDecision
from geo_klik.reports.models import Category, Report
from tests.reports.conftest import post_json, report_body
from tests.reports.test_intake_sql import polygons_read

PERSONAL = {
    "reporter_name": "Rahmat Hidayat",
    "reporter_phone": "0812 7777 1234",
    "reporter_email": "rahmat.hidayat@example.id",
}
# A point with six meaningful decimals inside a Bukittinggi kelurahan, chosen in the fixture.
PUBLIC_KEYS = {
    "tracking_code",
    "status",
    "category",
    "kelurahan",
    "address",
    "location",
    "agencies",
    "routing",
    "photos",
    "created_at",
    "updated_at",
    "routed_at",
    "resolved_at",
    "expected_resolution",
    "supporters",
    "rating",
    "reopen_until",
    "timeline",
}


def a_photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 0)).save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def city_point(seeded: dict[str, int]) -> tuple[float, float]:
    """A point inside a real kelurahan, with six significant decimals."""
    kelurahan = Kelurahan.objects.order_by("code_kemendagri").first()
    assert kelurahan is not None and kelurahan.label_point is not None
    return round(kelurahan.label_point.y, 6) + 0.000123, round(kelurahan.label_point.x, 6)


def submit_and_route(
    client: Client, point: tuple[float, float], category: str, **extra: Any
) -> dict[str, Any]:
    lat, lon = point
    body = {**report_body(category=category, lat=str(lat), lon=str(lon)), **PERSONAL, **extra}
    response = client.post("/api/reports/", body)
    assert response.status_code == 201, response.json()
    report = Report.objects.get(tracking_code=response.json()["tracking_code"])
    routes.route_report(report.pk)
    public = client.get(response.json()["url"])
    assert public.status_code == 200
    return dict(public.json())


def test_it_shows_status_category_kelurahan_agencies_and_routing(
    client: Client, city_point: tuple[float, float]
) -> None:
    view = submit_and_route(client, city_point, "traffic_accident", photos=[a_photo()])
    assert set(view) == PUBLIC_KEYS
    assert view["status"]["code"] == "routed"
    assert view["category"]["code"] == "traffic_accident"
    assert view["category"]["name_en"] == "Traffic accident"
    assert view["kelurahan"]["code_kemendagri"].startswith("13.75.")
    primary = view["agencies"]["primary"]
    assert primary is not None and primary["role"] == "primary"
    # A traffic accident needs more than one agency (police and ambulance).
    assert view["agencies"]["supporting"], view["agencies"]
    routing = view["routing"]
    assert routing["rule"] == RoutingDecision.Rule.COVERS
    assert routing["explanation"] and routing["explanation_en"]
    assert primary["name_id"] in routing["explanation"]
    assert {j["agency"] for j in routing["jurisdictions"]} == {primary["code"]} | {
        a["code"] for a in view["agencies"]["supporting"]
    }
    assert all(isinstance(j["version"], int) for j in routing["jurisdictions"])
    assert view["routed_at"] and view["created_at"]
    assert len(view["photos"]) == 1
    assert view["photos"][0]["url"].startswith("http://testserver/media/photos/")


def test_it_never_shows_the_routing_candidates_internals(
    client: Client, city_point: tuple[float, float]
) -> None:
    view = submit_and_route(client, city_point, "garbage")
    assert set(view["routing"]) == {
        "rule",
        "rule_name_id",
        "rule_name_en",
        "explanation",
        "explanation_en",
        "jurisdictions",
        "decided_at",
    }
    text = json.dumps(view)
    for internal in ("candidates", "distance_m", "area_m2", "duration_ms", "version_id"):
        assert internal not in text


def test_it_never_shows_personal_data(client: Client, city_point: tuple[float, float]) -> None:
    view = submit_and_route(client, city_point, "garbage")
    text = json.dumps(view)
    for value in PERSONAL.values():
        assert value not in text
    for key in ("reporter", "phone", "email", "idempotency", "description"):
        assert key not in text


def test_it_shows_a_plain_location_precisely(
    client: Client, city_point: tuple[float, float]
) -> None:
    view = submit_and_route(client, city_point, "garbage")
    assert view["location"]["rounded"] is False
    assert view["location"]["lat"] == pytest.approx(city_point[0], abs=1e-6)
    assert view["location"]["lon"] == pytest.approx(city_point[1], abs=1e-6)


def test_it_rounds_a_sensitive_location_to_about_100_m_and_hides_its_photos(
    client: Client, city_point: tuple[float, float]
) -> None:
    view = submit_and_route(client, city_point, "crime", photos=[a_photo()])
    assert view["category"]["sensitive"] is True
    location = view["location"]
    assert location["rounded"] is True
    assert location["precision_m"] == 100
    assert location["lat"] == round(city_point[0], 3)
    assert location["lon"] == round(city_point[1], 3)
    assert view["photos"] == []
    assert view["address"].startswith("Kelurahan ")
    # The photo is kept for the agency, just not shown.
    assert Report.objects.get(tracking_code=view["tracking_code"]).photos.count() == 1


def test_it_hides_a_geocoded_street_address_of_a_sensitive_report(
    client: Client, city_point: tuple[float, float]
) -> None:
    view = submit_and_route(client, city_point, "crime")
    Report.objects.filter(tracking_code=view["tracking_code"]).update(
        address="Jl. Sudirman No. 12, Bukittinggi"
    )
    again = client.get(f"/api/reports/{view['tracking_code']}/").json()
    assert "Sudirman" not in again["address"]


def test_it_shows_a_report_not_routed_yet(client: Client, categories: dict[str, Category]) -> None:
    code = post_json(client, report_body()).json()["tracking_code"]
    view = client.get(f"/api/reports/{code}/").json()
    assert view["status"]["code"] == "received"
    assert view["routing"] is None
    assert view["agencies"] == {"primary": None, "supporting": []}


def test_an_unsupported_report_costs_no_more_queries_than_a_supported_one(
    client: Client, categories: dict[str, Category]
) -> None:
    """The supporters are counted in the report's own query; 0 is an answer, not a reason to
    count again (it did: one more query for every report nobody supported yet)."""
    code = post_json(client, report_body()).json()["tracking_code"]
    client.get(f"/api/reports/{code}/")  # warm: sessions, content types
    caches["public_report"].clear()  # both serialized, not served from the cache
    with CaptureQueriesContext(connection) as unsupported:
        assert client.get(f"/api/reports/{code}/").json()["supporters"] == 0
    report = Report.objects.get(tracking_code=code)
    report.supports.create(supporter_key="6f1c0c5e-8d0b-4c3e-9f5e-3a1d2b4c5d6e")
    with CaptureQueriesContext(connection) as supported:
        assert client.get(f"/api/reports/{code}/").json()["supporters"] == 1
    assert len(unsupported.captured_queries) == len(supported.captured_queries)


def test_it_accepts_a_code_typed_by_hand(client: Client, categories: dict[str, Category]) -> None:
    code = post_json(client, report_body()).json()["tracking_code"]
    typed = code.lower().replace("0", "o").replace("1", "l")
    typed = f"{typed[:5]}-{typed[5:]}"
    response = client.get(f"/api/reports/{typed}/")
    assert response.status_code == 200
    assert response.json()["tracking_code"] == code


@pytest.mark.parametrize(
    # "%00" is refused with a 400 before routing (tests/lib/test_unstorable_text.py).
    "code",
    ["ZZZZZZZZZZ", "%ED%A0%80", "..%2F..", "x" * 300, "%F0%9F%99%82", "' or 1=1"],
)
def test_it_answers_404_json_for_an_unknown_code(
    client: Client, categories: dict[str, Category], code: str
) -> None:
    response = client.get(f"/api/reports/{code}/")
    assert response.status_code == 404
    (problem,) = response.json()["errors"]
    assert problem["code"] == "not_found"
    assert problem["field"] in {"tracking_code", None}  # None: not even a report address
    assert problem["message"] and problem["message_en"]


def test_it_selects_no_polygon_for_the_public_view(
    client: Client, city_point: tuple[float, float]
) -> None:
    """The public view names kelurahan and jurisdictions: it never reads their polygons."""
    view = submit_and_route(client, city_point, "traffic_accident")
    with CaptureQueriesContext(connection) as captured:
        again = client.get(f"/api/reports/{view['tracking_code']}/")
    assert again.status_code == 200
    assert again.json()["routing"]["jurisdictions"], "no jurisdiction shown: nothing was checked"
    assert polygons_read(captured.captured_queries) == []
