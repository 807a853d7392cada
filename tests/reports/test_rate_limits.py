"""Rate limits that fit mobile networks: per device, a high ceiling per address, none open."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from geo_klik.reports.models import Category, Report
from tests.conftest import closed_port
from tests.reports.conftest import clear_rate_limits, post_json, report_body

NEIGHBOURHOOD = "10.20.30.40"  # one carrier-grade NAT address for many phones


@pytest.fixture
def limits(settings: Settings, categories: dict[str, Category]) -> Iterator[Settings]:
    settings.REPORTS_RATE_LIMIT = "1/hour"
    settings.REPORTS_RATE_LIMIT_PER_DEVICE = "2/hour"
    settings.REPORTS_RATE_LIMIT_PER_ADDRESS = "5/hour"
    clear_rate_limits()
    yield settings
    clear_rate_limits()


def send(client: Client, device: str | None, *, address: str = NEIGHBOURHOOD) -> int:
    headers: dict[str, Any] = {"HTTP_X_DEVICE_ID": device} if device is not None else {}
    return int(post_json(client, report_body(), REMOTE_ADDR=address, **headers).status_code)


def test_it_counts_each_phone_behind_one_address_on_its_own(
    client: Client, limits: Settings
) -> None:
    phone_a, phone_b = str(uuid.uuid4()), str(uuid.uuid4())
    assert [send(client, phone_a) for _ in range(3)] == [201, 201, 429]
    # The neighbour behind the same carrier address is not blocked by phone A.
    assert [send(client, phone_b) for _ in range(2)] == [201, 201]
    assert Report.objects.count() == 4


def test_it_stops_an_address_at_its_ceiling_whatever_device_ids_it_makes_up(
    client: Client, limits: Settings
) -> None:
    statuses = [send(client, str(uuid.uuid4())) for _ in range(6)]
    assert statuses == [201, 201, 201, 201, 201, 429]
    assert send(client, str(uuid.uuid4()), address="10.99.0.1") == 201  # another address


@pytest.mark.parametrize(
    "device",
    [None, "", "short", "x" * 65, "abc\x00defghijklmnopq", "../../etc/passwd-0123456"],
    ids=["none", "empty", "short", "huge", "nul", "path"],
)
def test_it_holds_requests_without_a_valid_device_id_to_the_stricter_address_limit(
    client: Client, limits: Settings, device: str | None
) -> None:
    assert [send(client, device) for _ in range(2)] == [201, 429]
    # A phone with a device id behind that address still gets through.
    assert send(client, str(uuid.uuid4())) == 201


def test_follow_ups_are_limited_per_device_in_their_own_bucket(
    client: Client, limits: Settings
) -> None:
    phone = str(uuid.uuid4())
    code = post_json(client, report_body(), HTTP_X_DEVICE_ID=phone).json()["tracking_code"]

    def support(device: str) -> int:
        response = client.post(
            f"/api/reports/{code}/support/",
            {"supporter_key": str(uuid.uuid4())},
            content_type="application/json",
            HTTP_X_DEVICE_ID=device,
        )
        return int(response.status_code)

    assert [support(phone) for _ in range(3)] == [201, 200, 429]
    assert support(str(uuid.uuid4())) == 200  # another phone, same address: counted once
    assert send(client, phone) == 201  # intake has its own bucket


def test_the_device_limits_fail_open_when_redis_is_down(
    client: Client, limits: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    limits.CACHES = {
        **limits.CACHES,
        "ratelimit": {
            **limits.CACHES["ratelimit"],
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    phone = str(uuid.uuid4())
    assert [send(client, phone) for _ in range(4)] == [201, 201, 201, 201]
    assert "rate limit reports-device not applied" in caplog.text
