"""Staff API tokens: the lockout is said (429, not 401), tokens expire and change at each log-in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from geo_klik.accounts import actions, roles

PASSWORD = "correct horse battery staple"
TOKEN_URL = "/api/staff/auth/token/"
QUEUE_URL = "/api/staff/reports/"


@pytest.fixture(autouse=True)
def clean_counters() -> None:
    caches["ratelimit"].clear()
    caches["default"].clear()


@pytest.fixture
def staff(db: None) -> Any:
    return actions.create_staff_user("siti", role=roles.OPERATOR, password=PASSWORD)


def token_for(client: APIClient, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        TOKEN_URL, {"username": "siti", "password": password}, format="json", REMOTE_ADDR=address
    )


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=100)
def test_it_answers_429_too_many_attempts_not_wrong_password_while_locked(staff: Any) -> None:
    client = APIClient()
    for _ in range(2):
        assert token_for(client, "wrong").status_code == 401

    third = token_for(client, "wrong")  # the failure that locks says so at once
    response = token_for(client, PASSWORD)

    for answer in (third, response):
        assert answer.status_code == 429
        assert 800 < int(answer["Retry-After"]) <= 900
        [problem] = answer.json()["errors"]
        assert problem["code"] == "locked"
        assert "Coba lagi dalam 15 menit" in problem["message"]
        assert "Try again in 15 minutes" in problem["message_en"]
    assert token_for(client, PASSWORD, address="10.0.0.2").status_code == 200


def test_it_issues_a_new_token_at_each_log_in_and_retires_the_old_one(staff: Any) -> None:
    client = APIClient()
    first = token_for(client, PASSWORD).json()["token"]
    second = token_for(client, PASSWORD).json()["token"]

    assert first != second
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get(QUEUE_URL).status_code in (401, 403)  # 403: the console's session API
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.get(QUEUE_URL).status_code == 200


@override_settings(STAFF_TOKEN_TTL_HOURS=12.0)
def test_it_refuses_a_token_older_than_its_lifetime_in_both_languages(staff: Any) -> None:
    client = APIClient()
    key = token_for(client, PASSWORD).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=11, minutes=59))
    assert client.get(QUEUE_URL).status_code == 200

    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=12, seconds=1))
    response = client.get(QUEUE_URL)

    assert response.status_code == 401
    [problem] = response.json()["errors"]
    assert problem["code"] == "token_expired"
    assert "kedaluwarsa" in problem["message"] and "expired" in problem["message_en"]


@pytest.mark.parametrize("url", ["/api/community/posts/", "/api/businesses/any-slug/claim/"])
def test_it_refuses_an_expired_token_on_every_api_that_takes_tokens(staff: Any, url: str) -> None:
    client = APIClient()
    key = token_for(client, PASSWORD).json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=2))
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.post(url, {}, format="json")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_expired"
