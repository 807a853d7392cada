"""Login is rate-limited per username and per address, everywhere, and fails safely."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings

from geo_klik.accounts import actions, login_guard, roles

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def clean_counters() -> None:
    caches["ratelimit"].clear()
    caches["default"].clear()


@pytest.fixture
def staff(db: None) -> Any:
    return actions.create_staff_user("siti", role=roles.OPERATOR, password=PASSWORD)


def login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/akun/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=100)
def test_it_locks_the_guessing_address_out_of_the_username_and_says_so(
    client: Client, staff: Any
) -> None:
    for _ in range(3):
        assert login(client, "siti", "wrong").status_code == 200

    response = login(client, "siti", PASSWORD)

    assert response.status_code == 200  # the form again, not a redirect
    text = response.content.decode()
    assert "Terlalu banyak percobaan" in text and "Coba lagi dalam 15 menit" in text
    assert "Too many failed login attempts" in text and "Try again in 15 minutes" in text
    assert "kata sandi salah" not in text
    assert "_auth_user_id" not in client.session


@override_settings(
    LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_USERNAME=3, LOGIN_MAX_FAILURES_PER_ADDRESS=100
)
def test_it_never_locks_the_operator_out_from_a_desk_where_she_logged_in(
    client: Client, staff: Any
) -> None:
    assert login(client, "siti", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    for n in range(30):  # an attacker guessing from thirty addresses
        login(client, "siti", "wrong", address=f"192.0.2.{n}")

    assert login(client, "siti", PASSWORD, address="10.0.0.2").status_code == 302


@override_settings(
    LOGIN_MAX_FAILURES=3,
    LOGIN_MAX_FAILURES_PER_USERNAME=3,
    LOGIN_MAX_FAILURES_PER_ADDRESS=100,
    LOGIN_SLOWDOWN_S=30,
)
def test_it_slows_a_username_attacked_from_many_addresses_without_locking_it(
    client: Client, staff: Any
) -> None:
    for n in range(3):
        login(client, "siti", "wrong", address=f"192.0.2.{n}")

    text = login(client, "siti", PASSWORD, address="10.0.0.9").content.decode()
    assert "Coba lagi dalam 30 detik" in text and "Try again in 30 seconds" in text

    caches["ratelimit"].delete(login_guard._keys("siti", "").slow_gate)  # the delay passes
    assert login(client, "siti", PASSWORD, address="10.0.0.9").status_code == 302


def test_it_says_locked_on_the_admin_login_page(client: Client, staff: Any) -> None:
    staff.is_staff = True
    staff.save()
    for _ in range(5):
        client.post(
            "/admin/login/", {"username": "siti", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )

    response = client.post(
        "/admin/login/", {"username": "siti", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Terlalu banyak percobaan" in text and "Try again in 15 minutes" in text
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_MAX_FAILURES_PER_USERNAME=100, LOGIN_MAX_FAILURES_PER_ADDRESS=3)
def test_it_locks_an_address_guessing_many_usernames(client: Client, staff: Any) -> None:
    for name in ("a", "b", "c"):
        login(client, name, "wrong", address="10.9.9.9")

    assert login(client, "siti", PASSWORD, address="10.9.9.9").status_code == 200
    assert login(client, "siti", PASSWORD, address="10.1.1.1").status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3)
def test_it_lets_a_correct_login_through_and_clears_the_pair_count(
    client: Client, staff: Any
) -> None:
    login(client, "siti", "wrong")
    login(client, "siti", "wrong")

    assert login(client, "siti", PASSWORD).status_code == 302
    client.logout()
    login(client, "siti", "wrong")
    login(client, "siti", "wrong")
    assert login(client, "siti", PASSWORD).status_code == 302


@override_settings(LOGIN_MAX_FAILURES=2)
def test_it_guards_every_way_in_through_the_backend(staff: Any) -> None:
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="10.0.0.5")
    assert authenticate(request, username="siti", password="x") is None
    assert authenticate(request, username="siti", password="y") is None

    assert authenticate(request, username="siti", password=PASSWORD) is None  # locked


@override_settings(
    LOGIN_MAX_FAILURES=2,
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    },
)
def test_it_still_limits_and_still_lets_staff_in_when_redis_is_down(staff: Any) -> None:
    request = RequestFactory().post("/akun/masuk/", REMOTE_ADDR="10.0.0.6")
    assert authenticate(request, username="siti", password=PASSWORD) is not None

    authenticate(request, username="siti", password="x")
    authenticate(request, username="siti", password="y")

    assert login_guard.is_locked("siti", request)  # counted in this process's memory


def test_it_shows_bilingual_errors_on_a_wrong_password(client: Client, staff: Any) -> None:
    text = login(client, "siti", "wrong").content.decode()
    assert "Nama pengguna atau kata sandi salah" in text
    assert "Wrong username or password" in text
