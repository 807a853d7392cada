"""Hostile input to /api/alerts/: every refusal is a bilingual 400 (or 403/413/429) naming its
field, and nothing is stored."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from geo_klik.alerts.models import AlertSubscription, Subscriber
from geo_klik.reports.models import Category
from tests.alerts.conftest import CENTRE, EMAIL
from tests.conftest import TinyCity
from tests.notify.conftest import Queued
from tests.notify.push_receiver import Browser


def body(**changes: Any) -> dict[str, Any]:
    made = {
        "channel": "email",
        "email": EMAIL,
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "radius_m": 800,
        "categories": ["garbage"],
        "new_reports": True,
        "resolutions": False,
        **changes,
    }
    return {k: v for k, v in made.items() if v is not ...}


def refused(
    client: Client, payload: Any, *, status: int = 400, raw: str | None = None
) -> dict[str, Any]:
    answer = client.post(
        "/api/alerts/subscriptions/",
        raw if raw is not None else payload,
        content_type="application/json",
    )
    assert answer.status_code == status, answer.content
    assert AlertSubscription.objects.count() == 0 and Subscriber.objects.count() == 0
    problems = answer.json()["errors"]
    assert all(p["message"] and p["message_en"] for p in problems)
    return {p["field"]: p["code"] for p in problems}


@pytest.fixture(autouse=True)
def city(tiny_city: TinyCity, garbage: Category, queued: Queued) -> None:
    pass


@pytest.mark.parametrize(
    "radius",
    [0, -1, -2000, 1e9, 2000.6, 99, "NaN", "nan", "Infinity", "abc", True, [500], {"m": 1}],
)
def test_it_refuses_a_radius_out_of_bounds(client: Client, radius: object) -> None:
    assert refused(client, body(radius_m=radius)) == {"radius_m": "invalid"}


def test_it_refuses_nan_and_infinity_in_raw_json(client: Client) -> None:
    raw = (
        '{"channel":"email","email":"a@b.id","lat":NaN,"lon":Infinity,"radius_m":500,'
        '"categories":["garbage"],"new_reports":true}'
    )
    answer = client.post("/api/alerts/subscriptions/", raw, content_type="application/json")
    assert answer.status_code == 400
    assert AlertSubscription.objects.count() == 0


@pytest.mark.parametrize(
    ("lat", "lon"), [(91, 100.0), (-0.01, 181), (5.0, 100.0), (-0.01, 100.05), (1e308, 1e308)]
)
def test_it_refuses_points_outside_the_city(client: Client, lat: float, lon: float) -> None:
    problems = refused(client, body(lat=lat, lon=lon))
    assert set(problems) <= {"lat", "lon"} and problems


def test_it_refuses_nul_bytes_anywhere(client: Client) -> None:
    for payload in (
        body(email="a\x00@example.id"),
        body(categories=["garb\x00age"]),
        body(kelurahan="99.01\x00", lat=..., lon=..., radius_m=...),
    ):
        answer = client.post("/api/alerts/subscriptions/", payload, content_type="application/json")
        assert answer.status_code == 400
    assert AlertSubscription.objects.count() == 0


def test_it_refuses_unknown_categories_and_kelurahan(client: Client) -> None:
    assert refused(client, body(categories=["garbage", "no-such"])) == {"categories": "unknown"}
    assert refused(client, body(categories=[])) == {"categories": "invalid"}
    assert refused(client, body(categories="garbage")) == {"categories": "invalid"}
    assert refused(client, body(categories=["x"] * 51)) == {"categories": "invalid"}
    no_point = {"lat": ..., "lon": ..., "radius_m": ...}
    assert refused(client, body(kelurahan="13.75.01.1005", **no_point)) == {"kelurahan": "unknown"}


def test_it_wants_exactly_one_area_and_some_news(client: Client) -> None:
    assert refused(client, body(kelurahan="99.01.01.1001")) == {"kelurahan": "area_both"}
    assert refused(client, body(lat=..., lon=..., radius_m=...)) == {"kelurahan": "area_none"}
    assert refused(client, body(radius_m=...)) == {"kelurahan": "area_none"}
    assert refused(client, body(new_reports=False)) == {"new_reports": "nothing_chosen"}
    assert refused(client, body(channel="sms")) == {"channel": "invalid"}
    assert refused(client, body(frequency="hourly")) == {"frequency": "invalid"}


@pytest.mark.parametrize(
    "address",
    [
        "a@example.id\r\nBcc: victim@example.com",
        "a@example.id\nSubject: spam",
        "<a@example.id>",
        "a@example.id, b@example.id",
        "not-an-address",
        "a@@example.id",
    ],
)
def test_it_refuses_header_injection_in_the_email(client: Client, address: str) -> None:
    assert refused(client, body(email=address)) == {"email": "invalid"}
    assert AlertSubscription.objects.count() == 0


def test_it_refuses_a_push_endpoint_that_is_not_https_or_public(
    client: Client, settings: Settings
) -> None:
    settings.NOTIFY_PUSH_ALLOW_LOOPBACK = False
    keys = Browser().keys()
    for endpoint, code in (
        ("http://push.example.com/x", "endpoint_not_https"),
        ("https://127.0.0.1/x", "endpoint_not_public"),
        ("https://10.0.0.5/x", "endpoint_not_public"),
        ("https://169.254.169.254/latest", "endpoint_not_public"),
        ("https://[::1]/x", "endpoint_not_public"),
        ("https://push.localhost/x", "endpoint_not_public"),
        ("https://user:pw@push.example.com/x", "invalid_endpoint"),
    ):
        payload = body(
            channel="webpush", email="", push_subscription={"endpoint": endpoint, "keys": keys}
        )
        assert refused(client, payload) == {"push_subscription": code}, endpoint
    assert refused(client, body(channel="webpush", email="")) == {"push_subscription": "required"}
    assert refused(client, body(email="")) == {"email": "required"}


def test_it_refuses_a_huge_body(client: Client) -> None:
    padding = "x" * (200 * 1024)
    answer = client.post(
        "/api/alerts/subscriptions/", body(pad=padding), content_type="application/json"
    )
    assert answer.status_code == 413
    assert AlertSubscription.objects.count() == 0


@pytest.mark.parametrize("raw", ["[]", '"text"', "null", "{", "42"])
def test_it_refuses_a_body_that_is_not_an_object(client: Client, raw: str) -> None:
    answer = client.post("/api/alerts/subscriptions/", raw, content_type="application/json")
    assert answer.status_code == 400
    assert AlertSubscription.objects.count() == 0


def test_it_rate_limits_subscriptions_per_client(client: Client, settings: Settings) -> None:
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = "3/hour"
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = "600/hour"
    device = uuid.uuid4().hex  # the counts live in Redis, across test runs
    statuses = [
        client.post(
            "/api/alerts/subscriptions/",
            body(email=f"w{i}@example.id"),
            content_type="application/json",
            HTTP_X_DEVICE_ID=device,
        ).status_code
        for i in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]


def test_it_limits_unconfirmed_subscriptions_per_address(client: Client) -> None:
    answers = [
        client.post("/api/alerts/subscriptions/", body(), content_type="application/json")
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert answers[-1].json()["errors"][0]["code"] == "too_many"
    # Case does not make it another address.
    upper = client.post(
        "/api/alerts/subscriptions/", body(email=EMAIL.upper()), content_type="application/json"
    )
    assert upper.status_code == 429


def test_it_limits_subscriptions_per_subscriber(client: Client, settings: Settings) -> None:
    settings.ALERTS_MAX_SUBSCRIPTIONS = 2
    first = client.post("/api/alerts/subscriptions/", body(), content_type="application/json")
    key = first.json()["manage_key"]
    statuses = [
        client.post(
            "/api/alerts/subscriptions/",
            body(email=f"w{i}@example.id"),
            content_type="application/json",
            HTTP_X_ALERTS_KEY=key,
        ).status_code
        for i in range(2)
    ]
    assert statuses == [201, 429]


@pytest.mark.parametrize(
    "path", ["/api/alerts/subscriptions/abc/", "/api/alerts/subscriptions/-1/"]
)
def test_it_answers_404_for_malformed_ids(client: Client, path: str) -> None:
    assert client.delete(path, HTTP_X_ALERTS_KEY="x" * 32).status_code == 404


@pytest.mark.parametrize(
    "token",
    ["", "1", "1:abc", "\x00", "x" * 300, "99999999999999999999999:sig", "%00", "1:" + "A" * 43],
)
def test_it_refuses_bad_tokens(client: Client, token: str) -> None:
    for path in ("/api/alerts/confirm/", "/api/alerts/unsubscribe/"):
        answer = client.post(path, {"token": token}, content_type="application/json")
        assert answer.status_code in (400, 404)
