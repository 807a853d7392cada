"""Open311 API keys: only a hash is stored; the key is shown once (admin page or command)."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from geo_klik.open311 import actions, queries
from geo_klik.open311.models import ApiKey
from tests.conftest import TinyCity
from tests.open311.conftest import BASE

KEY = re.compile(r"o311_[A-Za-z0-9_-]{43}")


def test_it_stores_only_a_hash_and_a_prefix(db: None) -> None:
    api_key, raw_key = actions.create_api_key(name="Aplikasi warga")

    assert KEY.fullmatch(raw_key)
    stored = ApiKey.objects.get()
    assert stored.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert stored.prefix == raw_key[:12]
    assert raw_key not in {str(v) for v in ApiKey.objects.values().get().values()}
    assert queries.api_key_for(raw_key) == api_key
    assert queries.api_key_for(raw_key + "x") is None
    assert queries.api_key_for("") is None


def test_it_creates_lists_and_deactivates_keys_from_the_command(db: None) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_key", "create", "Mitra / partner", stdout=out, stderr=err)
    raw_key = out.getvalue().strip()
    assert KEY.fullmatch(raw_key)
    assert "not shown again" in err.getvalue()

    listing = io.StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert raw_key[:12] in listing.getvalue() and raw_key not in listing.getvalue()

    call_command("open311_key", "deactivate", raw_key[:12], stdout=io.StringIO())
    assert queries.api_key_for(raw_key) is None
    with pytest.raises(CommandError):
        call_command("open311_key", "deactivate", raw_key[:12])


def test_it_shows_a_new_key_once_in_the_admin(admin_client: Client, db: None) -> None:
    response = admin_client.post(
        "/admin/open311/apikey/add/", {"name": "Aplikasi Android", "active": "on"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [raw_key] = KEY.findall(response.content.decode())
    api_key = ApiKey.objects.get()
    assert queries.api_key_for(raw_key) == api_key
    change = admin_client.get(f"/admin/open311/apikey/{api_key.pk}/change/")
    assert change.status_code == 200
    assert raw_key[:12] in change.content.decode()
    assert raw_key not in change.content.decode()
    assert raw_key not in admin_client.get("/admin/open311/apikey/").content.decode()


def test_it_rotates_and_deactivates_keys_from_the_admin(admin_client: Client, db: None) -> None:
    api_key, old_key = actions.create_api_key(name="Lama / old")

    rotated = admin_client.post(
        "/admin/open311/apikey/",
        {"action": "rotate_keys", "_selected_action": [api_key.pk]},
    )
    [new_key] = KEY.findall(rotated.content.decode())
    assert queries.api_key_for(old_key) is None
    assert queries.api_key_for(new_key) == api_key

    admin_client.post(
        "/admin/open311/apikey/",
        {"action": "deactivate_keys", "_selected_action": [api_key.pk]},
    )
    assert queries.api_key_for(new_key) is None


def test_it_lists_open311_requests_in_the_admin(
    admin_client: Client, city: TinyCity, api_key: str, client: Client
) -> None:
    client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key, "service_code": "garbage", "lat": "-0.015", "long": "100.015"},
    )

    response = admin_client.get("/admin/open311/servicerequest/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
