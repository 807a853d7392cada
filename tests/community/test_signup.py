"""Resident sign-up at /komunitas/daftar/: account and profile, logged in, back to next."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from geo_klik.accounts import roles
from geo_klik.community.models import Profile
from tests.conftest import TinyCity


def form(**changes: str) -> dict[str, str]:
    data = {
        "username": "siti",
        "display_name": "Siti dari Barat",
        "password1": "kopi-kawa-daun-2025",
        "password2": "kopi-kawa-daun-2025",
        "home_kelurahan": "99.01.01.1001",
        "next": "/komunitas/pos/baru/",
    }
    data.update(changes)
    return data


def test_it_creates_a_resident_logs_in_and_returns_to_next(
    client: Client, tiny_city: TinyCity, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    answer = client.post("/komunitas/daftar/", form())
    assert answer.status_code == 302
    assert answer["Location"] == "/komunitas/pos/baru/"
    user = User.objects.get(username="siti")
    assert roles.roles_of(user) == frozenset()
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Siti dari Barat"
    assert profile.home_kelurahan == tiny_city.kelurahan["Barat Utara"]
    assert client.get("/komunitas/pos/baru/").status_code == 200  # logged in


def test_it_keeps_what_was_typed_when_the_passwords_differ(
    client: Client, tiny_city: TinyCity
) -> None:
    answer = client.post("/komunitas/daftar/", form(password2="something-else-9"))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'value="Siti dari Barat"' in html and 'value="siti"' in html
    assert not User.objects.filter(username="siti").exists()


def test_it_refuses_a_taken_username(client: Client, tiny_city: TinyCity) -> None:
    User.objects.create_user("siti", password="x-y-z-123456")
    answer = client.post("/komunitas/daftar/", form())
    assert answer.status_code == 200
    assert User.objects.filter(username="siti").count() == 1


def test_it_ignores_a_next_on_another_site(
    client: Client, tiny_city: TinyCity, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    answer = client.post("/komunitas/daftar/", form(next="https://evil.example/"))
    assert answer["Location"] == "/komunitas/"


def test_it_works_without_a_home_kelurahan(
    client: Client, tiny_city: TinyCity, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    answer = client.post("/komunitas/daftar/", form(home_kelurahan=""))
    assert answer.status_code == 302
    assert Profile.objects.get(user__username="siti").home_kelurahan is None
