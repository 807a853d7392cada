"""A city that has not loaded its boundaries yet: every page and API answers, none with a 5xx.

A fresh deployment runs migrations before an administrator loads the kelurahan; the planner's
and the public transparency pages answered 500 then (a folium tooltip over no features).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from geo_klik.boundaries.models import Kelurahan
from tests.lib.test_unstorable_text import ALL_PATHS

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(settings: Any, django_user_model: Any) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_every_url_answers_without_a_server_error(superuser: Client) -> None:
    assert not Kelurahan.objects.exists()
    anonymous = Client(raise_request_exception=False)
    failures = []
    for pattern, path in ALL_PATHS:
        for who, client in (("anonymous", anonymous), ("superuser", superuser)):
            status = client.get(path).status_code
            if status >= 500:
                failures.append((who, pattern, path, status))
    assert failures == []
