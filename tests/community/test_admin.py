"""The admin pages of the forum open, and the moderation admin actions follow the rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from geo_klik.accounts.models import AuditLog
from geo_klik.community.models import Ban, Post, Status
from tests.community.conftest import MakePost, People


@pytest.fixture
def admin_client_logged_in(client: Client, people: People) -> Client:
    boss = User.objects.create_superuser("boss", password="x-very-long-pass-1")
    client.force_login(boss)
    return client


def test_it_opens_every_admin_page(
    admin_client_logged_in: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    for path in ("post", "comment", "flag", "ban", "profile"):
        assert admin_client_logged_in.get(f"/admin/community/{path}/").status_code == 200
    page = admin_client_logged_in.get(f"/admin/community/post/{post.pk}/change/")
    assert page.status_code == 200
    assert "cdn" not in page.content.decode().lower()


def test_it_hides_and_bans_from_the_admin(
    admin_client_logged_in: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    admin_client_logged_in.post(
        "/admin/community/post/",
        {"action": "hide_selected", "_selected_action": [post.pk]},
    )
    post.refresh_from_db()
    assert post.status == Status.HIDDEN
    assert AuditLog.objects.filter(action="community.hide").exists()
    admin_client_logged_in.post(
        "/admin/community/post/",
        {"action": "ban_authors", "_selected_action": [post.pk]},
    )
    assert Ban.objects.get().user == people.alice


def test_it_derives_the_kelurahan_from_the_pin_in_the_admin(
    admin_client_logged_in: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    data = {
        "kind": "post",
        "title": "Dipindah",
        "body": "b",
        "author": people.alice.pk,
        "location": "SRID=4326;POINT (100.015 -0.005)",  # the widget itself posts EPSG:3857
        "status": "visible",
        "kelurahan": "",
    }
    answer = admin_client_logged_in.post(f"/admin/community/post/{post.pk}/change/", data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    post = Post.objects.get(pk=post.pk)
    assert post.kelurahan is not None and post.kelurahan.name == "Timur Utara"


def test_it_refuses_a_pin_outside_the_city_in_the_admin(
    admin_client_logged_in: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    data = {
        "kind": "post",
        "title": "Jauh",
        "body": "b",
        "author": people.alice.pk,
        "location": "SRID=4326;POINT (100.5 -0.5)",
        "status": "visible",
    }
    answer = admin_client_logged_in.post(f"/admin/community/post/{post.pk}/change/", data)
    assert answer.status_code == 200
    assert "outside Kota Contoh" in answer.content.decode()
    assert Post.objects.get(pk=post.pk).title == "Gotong royong"
