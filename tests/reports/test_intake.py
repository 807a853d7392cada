"""POST /api/reports/: accepted once, committed before 201, bilingual 400s, 503, 429."""

from __future__ import annotations

import io
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from PIL import Image
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from geo_klik.boundaries.models import Kelurahan
from geo_klik.celery import app as celery_app
from geo_klik.dispatch import tasks as dispatch_tasks
from geo_klik.dispatch.actions import routes
from geo_klik.reports import actions
from geo_klik.reports.models import Category, Report
from tests.conftest import closed_port
from tests.reports.conftest import (
    TINY_LAT,
    TINY_LON,
    clear_rate_limits,
    post_json,
    report_body,
)

PERSONAL = {
    "reporter_name": "Siti Rahmawati",
    "reporter_phone": "+62 812-3456-7890",
    "reporter_email": "siti.rahmawati@example.id",
}


def errors_of(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert set(body) == {"errors"}, body
    for error in body["errors"]:
        # outside_city adds where the point is ("place", issue 18); nothing else is added
        extra = {"place"} if error.get("code") == "outside_city" else set()
        assert set(error) == {"field", "code", "message", "message_en"} | extra
        assert error["message"] and error["message_en"]
    return list(body["errors"])


def fields_of(response: Any) -> set[str | None]:
    return {e["field"] for e in errors_of(response)}


def reset_producer_pools() -> None:
    """Forget broker connections so a changed broker_url takes effect."""
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def broker_down() -> Iterator[Callable[[], None]]:
    """Celery's broker (Redis) unreachable: its URL points at a closed port.

    Yields the function that brings it back (also called at teardown).
    """
    saved = celery_app.conf.broker_url

    def bring_back() -> None:
        celery_app.conf.update(broker_url=saved)
        reset_producer_pools()

    celery_app.conf.update(broker_url=f"redis://127.0.0.1:{closed_port()}/0")
    reset_producer_pools()
    try:
        yield bring_back
    finally:
        bring_back()


@pytest.fixture
def purge_queue() -> Iterator[None]:
    """Tests whose commits really queue tasks leave no message behind for other tests."""
    yield
    celery_app.control.purge()


# ---- accepted ------------------------------------------------------------------------------


def test_it_accepts_a_json_report_with_201(client: Client, categories: dict[str, Category]) -> None:
    response = post_json(client, report_body(accuracy_m=8.5, **PERSONAL), key=uuid.uuid4())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "tracking_code",
        "status",
        "kelurahan",
        "url",
        "created_at",
        "reporter_secret",
        "reporter_url",
    }
    assert len(body["tracking_code"]) == actions.TRACKING_LENGTH
    assert set(body["tracking_code"]) <= set(actions.TRACKING_ALPHABET)
    assert body["status"] == {"code": "received", "name_id": "Diterima", "name_en": "Received"}
    assert body["kelurahan"] == {
        "name": "Barat Utara",
        "code_kemendagri": "99.01.01.1001",
        "code_bps": "9901011001",
        "kecamatan": {"name": "Barat", "code_kemendagri": "99.01.01"},
    }
    assert body["url"] == f"http://testserver/api/reports/{body['tracking_code']}/"
    assert response["Location"] == body["url"]
    report = Report.objects.get()
    assert report.tracking_code == body["tracking_code"]
    assert (report.location.y, report.location.x) == (TINY_LAT, TINY_LON)
    assert report.accuracy_m == 8.5
    assert report.reporter_name == PERSONAL["reporter_name"]
    assert report.reporter_email == PERSONAL["reporter_email"]
    assert report.address == "Kelurahan Barat Utara, Kecamatan Barat, Kota Contoh"
    assert report.source == Report.Source.API


def test_it_accepts_a_multipart_report(client: Client, categories: dict[str, Category]) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(photo, "JPEG")
    photo.name = "sampah.jpg"
    photo.seek(0)
    response = client.post(
        "/api/reports/",
        {
            **report_body(lat=str(TINY_LAT), lon=str(TINY_LON)),
            **PERSONAL,
            "anonymous": "true",
            "photos": [photo],
        },
    )
    assert response.status_code == 201, response.json()
    report = Report.objects.get()
    assert report.photos.count() == 1
    assert report.anonymous is True
    # Anonymous: the contact details are not stored at all.
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")


def test_it_accepts_a_geojson_point(client: Client, categories: dict[str, Category]) -> None:
    location = {"type": "Point", "coordinates": [100.015, -0.015]}
    response = post_json(client, report_body(lat=None, lon=None, location=location))
    assert response.status_code == 201, response.json()
    assert response.json()["kelurahan"]["name"] == "Timur Selatan"
    report = Report.objects.get()
    assert (report.location.x, report.location.y) == (100.015, -0.015)


def test_it_accepts_a_geojson_point_as_text_in_multipart(
    client: Client, categories: dict[str, Category]
) -> None:
    location = json.dumps({"type": "Point", "coordinates": [100.015, -0.005]})
    response = client.post("/api/reports/", report_body(lat=None, lon=None, location=location))
    assert response.status_code == 201, response.json()
    assert response.json()["kelurahan"]["name"] == "Timur Utara"


def test_it_accepts_a_point_just_outside_the_city_within_the_tolerance(
    client: Client, categories: dict[str, Category]
) -> None:
    # 0.0005° (about 55 m) north of the city's northern edge at lat 0.
    response = post_json(client, report_body(lat=0.0005, lon=100.005))
    assert response.status_code == 201
    assert response.json()["kelurahan"]["name"] == "Barat Utara"


def test_it_queues_routing_only_after_commit(
    client: Client,
    categories: dict[str, Category],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_json(client, report_body())
    assert response.status_code == 201
    assert len(callbacks) == 1  # routing; geocoding is off by default


# ---- idempotency ---------------------------------------------------------------------------


def test_it_returns_the_original_report_with_200_on_a_retry(
    client: Client, categories: dict[str, Category]
) -> None:
    key = uuid.uuid4()
    first = post_json(client, report_body(), key=key)
    retry = post_json(client, report_body(), key=key)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"]
    assert Report.objects.count() == 1


def test_it_refuses_a_reused_key_with_another_body_in_both_languages(
    client: Client, categories: dict[str, Category]
) -> None:
    key = uuid.uuid4()
    first = post_json(client, report_body(), key=key)
    other = post_json(client, report_body(description="Lampu jalan mati di simpang."), key=key)
    mangled = post_json(client, report_body(description="   "), key=key)
    assert first.status_code == 201
    for response in (other, mangled):
        assert response.status_code == 422
        (problem,) = errors_of(response)
        assert (problem["field"], problem["code"]) == ("Idempotency-Key", "key_reused")
        assert "TIDAK disimpan" in problem["message"]
        assert "NOT stored" in problem["message_en"]
    assert Report.objects.count() == 1
    # The original body under the same key is still a plain retry.
    assert post_json(client, report_body(), key=key).status_code == 200


def test_it_hashes_a_json_body_whatever_its_key_order(
    client: Client, categories: dict[str, Category]
) -> None:
    key = uuid.uuid4()
    body = report_body()
    reordered = dict(reversed(list(body.items())))
    assert post_json(client, body, key=key).status_code == 201
    assert post_json(client, reordered, key=key).status_code == 200


def jpeg(colour: tuple[int, int, int]) -> io.BytesIO:
    photo = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(photo, "JPEG")
    photo.name = "photo-1.jpg"
    photo.seek(0)
    return photo


def test_it_compares_the_photos_of_a_multipart_retry(
    client: Client, categories: dict[str, Category]
) -> None:
    key = uuid.uuid4()
    fields = report_body(lat=str(TINY_LAT), lon=str(TINY_LON))

    def send(photo: io.BytesIO) -> Any:
        return client.post(
            "/api/reports/", {**fields, "photos": [photo]}, headers={"Idempotency-Key": str(key)}
        )

    assert send(jpeg((10, 200, 10))).status_code == 201
    assert send(jpeg((10, 200, 10))).status_code == 200
    assert send(jpeg((200, 10, 10))).status_code == 422
    assert Report.objects.count() == 1


def test_it_refuses_another_body_that_lost_the_race_at_the_unique_key(
    categories: dict[str, Category],
) -> None:
    key = uuid.uuid4()
    common: dict[str, Any] = {
        "category": categories["garbage"],
        "lat": TINY_LAT,
        "lon": TINY_LON,
        "idempotency_key": key,
    }
    original, _ = actions.create_report(description="a", body_sha256="1" * 64, **common)
    first, created = actions.create_report(description="a", body_sha256="1" * 64, **common)
    assert (created, first.pk) == (False, original.pk)
    with pytest.raises(actions.IdempotencyKeyReused):
        actions.create_report(description="b", body_sha256="2" * 64, **common)
    assert Report.objects.count() == 1


def test_it_makes_different_reports_for_different_keys(
    client: Client, categories: dict[str, Category]
) -> None:
    codes = {post_json(client, report_body(), key=uuid.uuid4()).json()["tracking_code"]}
    codes.add(post_json(client, report_body(), key=uuid.uuid4()).json()["tracking_code"])
    codes.add(post_json(client, report_body()).json()["tracking_code"])
    assert len(codes) == 3


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_report_from_concurrent_retries(
    tiny_city: Any, categories: dict[str, Category], purge_queue: None
) -> None:
    key = uuid.uuid4()
    barrier = threading.Barrier(4)
    results: list[tuple[int, str]] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            response = post_json(Client(), report_body(), key=key)
            results.append((response.status_code, response.json()["tracking_code"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    assert sorted(status for status, _ in results) == [200, 200, 200, 201]
    assert len({code for _, code in results}) == 1
    assert Report.objects.filter(idempotency_key=key).count() == 1


def test_it_resolves_a_race_lost_at_the_unique_key(categories: dict[str, Category]) -> None:
    """The action itself: a second insert under a committed key returns the first report."""
    key = uuid.uuid4()
    first, created = actions.create_report(
        category=categories["garbage"],
        lat=TINY_LAT,
        lon=TINY_LON,
        description="a",
        idempotency_key=key,
    )
    again, created_again = actions.create_report(
        category=categories["garbage"],
        lat=TINY_LAT,
        lon=TINY_LON,
        description="b",
        idempotency_key=key,
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk


# ---- bad input -----------------------------------------------------------------------------

BAD_BODIES: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing lat", report_body(lat=None), "lat", "invalid"),
    ("missing lon", report_body(lon=None), "lon", "invalid"),
    ("lat not a number", report_body(lat="minus nol koma tiga"), "lat", "invalid"),
    ("lat a list", report_body(lat=[1, 2]), "lat", "invalid"),
    ("lat a boolean", report_body(lat=True), "lat", "invalid"),
    ("lat NaN as text", report_body(lat="NaN"), "lat", "invalid"),
    ("lon infinite as text", report_body(lon="-Infinity"), "lon", "invalid"),
    ("lat out of range", report_body(lat=91), "lat", "invalid"),
    ("lon out of range", report_body(lon=-180.5), "lon", "invalid"),
    ("lat a huge integer", report_body(lat=10**400), "lat", "invalid"),
    ("outside the city", report_body(lat=-0.3, lon=100.37), "location", "outside_city"),
    ("both lat/lon and location", report_body(location={"type": "Point"}), "location", "ambiguous"),
    (
        "location not a point",
        report_body(lat=None, lon=None, location={"type": "Polygon", "coordinates": []}),
        "location",
        "invalid",
    ),
    (
        "location out of range",
        report_body(lat=None, lon=None, location={"type": "Point", "coordinates": [200, 0]}),
        "location",
        "invalid",
    ),
    ("missing category", report_body(category=None), "category", "required"),
    ("unknown category", report_body(category="ufo_sighting"), "category", "unknown_category"),
    (
        "category not text",
        report_body(category={"code": "garbage"}),
        "category",
        "unknown_category",
    ),
    # Refused by the shared rule (UnstorableTextMiddleware) before the category is looked up.
    ("category with NUL", report_body(category="garbage\x00"), "category", "invalid_characters"),
    ("missing description", report_body(description=None), "description", "required"),
    ("blank description", report_body(description=" \n\t "), "description", "required"),
    ("oversize description", report_body(description="x" * 4001), "description", "max_length"),
    ("description a number", report_body(description=42), "description", "invalid"),
    (
        "description with NUL",
        report_body(description="a\x00b"),
        "description",
        "invalid_characters",
    ),
    (
        "description with a lone surrogate",
        report_body(description="a\ud800"),
        "description",
        "invalid_characters",
    ),
    ("invalid email", report_body(reporter_email="siti@"), "reporter_email", "invalid"),
    ("invalid phone", report_body(reporter_phone="call me maybe"), "reporter_phone", "invalid"),
    ("long name", report_body(reporter_name="n" * 101), "reporter_name", "max_length"),
    ("negative accuracy", report_body(accuracy_m=-1), "accuracy_m", "invalid"),
    ("accuracy not a number", report_body(accuracy_m="good"), "accuracy_m", "invalid"),
    ("anonymous not a boolean", report_body(anonymous="maybe"), "anonymous", "invalid"),
    ("photos in JSON", report_body(photos=["aGVsbG8="]), "photos", "not_a_file"),
]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [pytest.param(body, field, code, id=name) for name, body, field, code in BAD_BODIES],
)
def test_it_names_the_bad_field_in_both_languages(
    client: Client, categories: dict[str, Category], body: dict[str, Any], field: str, code: str
) -> None:
    response = post_json(client, body)
    assert response.status_code == 400, response.content
    problems = errors_of(response)
    assert (field, code) in {(p["field"], p["code"]) for p in problems}, problems
    assert Report.objects.count() == 0


def test_it_lists_every_bad_field_at_once(client: Client, categories: dict[str, Category]) -> None:
    response = post_json(client, {"category": "ufo", "lat": "x", "lon": 500, "description": ""})
    assert response.status_code == 400
    assert fields_of(response) == {"category", "lat", "lon", "description"}


def test_it_explains_a_point_outside_the_city(
    client: Client, categories: dict[str, Category]
) -> None:
    response = post_json(client, report_body(lat=-0.05, lon=100.005))
    (problem,) = errors_of(response)
    assert problem["field"] == "location"
    assert "di luar" in problem["message"]
    assert "outside" in problem["message_en"]


def test_it_refuses_malformed_json(client: Client, categories: dict[str, Category]) -> None:
    response = client.post(
        "/api/reports/", '{"category": "garbage", "lat": ', content_type="application/json"
    )
    assert response.status_code == 400
    (problem,) = errors_of(response)
    assert (problem["field"], problem["code"]) == ("body", "malformed")


def test_it_refuses_a_json_nan_literal(client: Client, categories: dict[str, Category]) -> None:
    raw = '{"category": "garbage", "lat": NaN, "lon": 100.005, "description": "x"}'
    response = client.post("/api/reports/", raw, content_type="application/json")
    assert response.status_code == 400
    assert fields_of(response) == {"body"}


def test_it_refuses_a_json_body_that_is_not_an_object(
    client: Client, categories: dict[str, Category]
) -> None:
    response = client.post("/api/reports/", "[1, 2, 3]", content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response)[0]["code"] == "not_an_object"


def test_it_refuses_an_unsupported_content_type(
    client: Client, categories: dict[str, Category]
) -> None:
    response = client.post("/api/reports/", "<report/>", content_type="application/xml")
    assert response.status_code == 415
    assert fields_of(response) == {"Content-Type"}


@pytest.mark.parametrize("key", ["not-a-uuid", "12345", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"])
def test_it_refuses_a_malformed_idempotency_key(
    client: Client, categories: dict[str, Category], key: str
) -> None:
    response = post_json(client, report_body(), key=key)
    assert response.status_code == 400
    (problem,) = errors_of(response)
    assert (problem["field"], problem["code"]) == ("Idempotency-Key", "invalid")
    assert Report.objects.count() == 0


def test_it_refuses_an_oversize_json_body_before_reading_it(
    client: Client, categories: dict[str, Category]
) -> None:
    response = post_json(client, report_body(description="x" * 200_000))
    assert response.status_code == 413
    assert fields_of(response) == {"body"}


def test_it_refuses_a_file_in_another_field(
    client: Client, categories: dict[str, Category]
) -> None:
    photo = io.BytesIO(b"\xff\xd8\xff")
    photo.name = "x.jpg"
    response = client.post("/api/reports/", {**report_body(), "photo": photo})
    assert response.status_code == 400
    assert "photo" in fields_of(response)


def test_it_refuses_other_methods_in_json(client: Client) -> None:
    response = client.get("/api/reports/")
    assert response.status_code == 405
    assert errors_of(response)[0]["code"] == "method_not_allowed"


JUNK: list[tuple[bytes | str, str]] = [
    (b"", "application/json"),
    (b"null", "application/json"),
    (b'"just a string"', "application/json"),
    (b"12", "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b'{"a": ' * 5000, "application/json"),
    (b"[" * 100_000, "application/json"),
    (
        b'{"category": "garbage", "lat": 1e999, "lon": -1e999, "description": "x"}',
        "application/json",
    ),
    (b'{"lat": 1' + b"0" * 5000 + b', "lon": 1}', "application/json"),
    (b'{"category": null, "lat": null, "lon": null, "description": null}', "application/json"),
    (
        b'{"category": [], "lat": {}, "lon": [], "description": {}, "photos": {}}',
        "application/json",
    ),
    (b'{"location": "{\\"type\\": \\"Point\\", \\"coordinates\\": \\"x\\"}"}', "application/json"),
    (b'{"location": {"type": "Point", "coordinates": [null, true]}}', "application/json"),
    (b'{"location": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json"),
    (b"--x\r\nContent-Disposition: form-data; name=lat\r\n\r\n1\r\n", "multipart/form-data"),
    (b"not multipart at all", "multipart/form-data; boundary=zzz"),
    (b"--zzz\r\n\r\n\r\n--zzz--", "multipart/form-data; boundary=zzz"),
    (b"category=garbage&lat=%00&lon=%FF&description=%00", "application/x-www-form-urlencoded"),
    (b"location=%7B&description=" + b"y" * 5000, "application/x-www-form-urlencoded"),
    (b"&".join(b"f%d=1" % i for i in range(5000)), "application/x-www-form-urlencoded"),
    (b"description=" + b"z" * 300_000, "application/x-www-form-urlencoded"),
    (
        b"".join(
            b'--zzz\r\nContent-Disposition: form-data; name="photos"; filename="%d.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n" % i
            for i in range(150)
        )
        + b"--zzz--\r\n",
        "multipart/form-data; boundary=zzz",
    ),
    (b"\x00\x01\x02", "application/octet-stream"),
    (b"{}", "text/plain"),
    (b"{}", "application/json; charset=utf-16"),
    (b"{}", "application/json; charset=no-such-charset"),
]


@pytest.mark.parametrize(("content", "content_type"), JUNK)
def test_it_never_answers_junk_with_a_5xx(
    client: Client, categories: dict[str, Category], content: bytes, content_type: str
) -> None:
    response = client.generic("POST", "/api/reports/", content, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content[:500]
    assert errors_of(response)
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "key", ["\x00", "' OR 1=1 --", "🙂", "a" * 5000, "{12345678-1234-5678-1234-567812345678"]
)
def test_it_never_answers_a_junk_key_with_a_5xx(
    client: Client, categories: dict[str, Category], key: str
) -> None:
    response = client.post(
        "/api/reports/",
        json.dumps(report_body()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code in {201, 400}


# ---- personal data -------------------------------------------------------------------------


def test_it_never_logs_or_echoes_personal_data(
    client: Client, categories: dict[str, Category], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    accepted = post_json(client, report_body(**PERSONAL))
    refused = post_json(client, report_body(category="ufo", **PERSONAL))
    public = client.get(accepted.json()["url"])
    assert (accepted.status_code, refused.status_code, public.status_code) == (201, 400, 200)
    for value in PERSONAL.values():
        for text in (caplog.text, accepted.content.decode(), refused.content.decode()):
            assert value not in text
        assert value not in public.content.decode()


# ---- reliability ---------------------------------------------------------------------------


def test_it_answers_503_with_retry_after_when_postgresql_is_down(
    postgres_unreachable: None,
) -> None:
    response = post_json(Client(), report_body(), key=uuid.uuid4())
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    (problem,) = errors_of(response)
    assert problem["code"] == "database_unavailable"
    assert "basis data" in problem["message"] and "database" in problem["message_en"]


@pytest.mark.parametrize(
    "path",
    ["/api/categories/", "/api/reports/ABCDEFGHJK/", "/api/agencies/", "/api/jurisdictions/"],
)
def test_every_read_answers_503_when_postgresql_is_down(
    postgres_unreachable: None, path: str
) -> None:
    response = Client().get(path)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert errors_of(response)[0]["code"] == "database_unavailable"


def test_it_accepts_reports_while_redis_is_down_and_the_sweep_routes_them(
    client: Client,
    seeded: dict[str, int],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    purge_queue: None,
) -> None:
    kelurahan = Kelurahan.objects.order_by("code_kemendagri").first()
    assert kelurahan is not None and kelurahan.label_point is not None
    body = report_body(lat=kelurahan.label_point.y, lon=kelurahan.label_point.x)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, body, key=uuid.uuid4())
    assert response.status_code == 201
    report = Report.objects.get(tracking_code=response.json()["tracking_code"])
    assert report.routed_at is None  # the routing task could not be queued

    # Redis is back: the sweep queues it again and a worker runs the task.
    broker_down()
    assert routes.requeue_unrouted_reports(older_than_s=0) == 1
    dispatch_tasks.route_report(report.pk)
    routed = Report.objects.get(pk=report.pk)
    assert routed.routed_at is not None
    assert routed.status == Report.Status.ROUTED
    assert routed.assignments.filter(active=True, role="primary").count() == 1
    assert client.get(response.json()["url"]).json()["agencies"]["primary"] is not None


def test_it_limits_intake_per_client_address(
    client: Client, categories: dict[str, Category], settings: Settings
) -> None:
    settings.REPORTS_RATE_LIMIT = "2/hour"
    clear_rate_limits()
    try:
        statuses = [post_json(client, report_body()).status_code for _ in range(2)]
        limited = post_json(client, report_body())
        other_client = post_json(client, report_body(), REMOTE_ADDR="10.1.2.3")
        forged = post_json(client, report_body(), HTTP_X_FORWARDED_FOR="10.9.9.9")
    finally:
        clear_rate_limits()
    assert statuses == [201, 201]
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    (problem,) = errors_of(limited)
    assert problem["code"] == "throttled"
    assert "Terlalu banyak" in problem["message"] and "Too many" in problem["message_en"]
    assert other_client.status_code == 201
    assert forged.status_code == 429  # X-Forwarded-For is not trusted without proxies
    assert Report.objects.count() == 3


def test_the_rate_limit_fails_open_when_redis_is_down(
    client: Client,
    categories: dict[str, Category],
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.REPORTS_RATE_LIMIT = "1/hour"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            **settings.CACHES["ratelimit"],
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    statuses = [post_json(client, report_body()).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]
    assert "rate limit reports not applied" in caplog.text


def test_a_plain_django_view_also_answers_503_when_postgresql_is_down(
    postgres_unreachable: None,
) -> None:
    response = Client().get("/")  # the map page reads the kelurahan
    assert response.status_code == 503
    assert response["Retry-After"]
    assert errors_of(response)[0]["code"] == "database_unavailable"
