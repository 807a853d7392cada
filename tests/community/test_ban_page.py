"""/komunitas/moderasi/blokir/: every form answered as recorded (from the view's hand-read
username, before ``BanForm`` looked the user up itself)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from geo_klik.community.models import Ban
from tests.community.conftest import People

FORMS: list[tuple[dict[str, str], list[str], bool]] = [
    ({}, ["Isi nama pengguna yang ada dan alasannya."], False),
    (
        {"username": "nobody", "reason": "x", "duration": "7"},
        ["Isi nama pengguna yang ada dan alasannya."],
        False,
    ),
    (
        {"username": "  bob ", "reason": "", "duration": "7"},
        ["Isi nama pengguna yang ada dan alasannya."],
        False,
    ),
    (
        {"username": "bob", "reason": "x", "duration": "9"},
        ["Isi nama pengguna yang ada dan alasannya."],
        False,
    ),
    (
        {"username": "b" * 151, "reason": "x", "duration": "7"},
        ["Isi nama pengguna yang ada dan alasannya."],
        False,
    ),
    ({"username": "  bob ", "reason": "Kata kasar", "duration": "7"}, ["Pengguna diblokir."], True),
]


@pytest.mark.parametrize(("data", "said", "banned"), FORMS)
def test_it_answers_every_ban_form_as_recorded(
    client: Client, people: People, data: dict[str, Any], said: list[str], banned: bool
) -> None:
    client.force_login(people.moderator)
    answer = client.post("/komunitas/moderasi/blokir/", data, HTTP_ACCEPT_LANGUAGE="id")
    assert answer.status_code == 302
    assert [str(m) for m in get_messages(answer.wsgi_request)] == said
    assert Ban.objects.filter(user=people.bob).exists() is banned
