"""POST /api/community/posts/ and the post detail: create, validate, edit, delete."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from geo_klik.community.models import Post, Status
from tests.community.conftest import BARAT, OUTSIDE, TIMUR, MakePost, People
from tests.conftest import TinyCity

URL = "/api/community/posts/"


def test_it_creates_a_pinned_post_in_the_kelurahan_under_the_pin(
    people: People, tiny_city: TinyCity
) -> None:
    answer = people.api(people.alice).post(
        URL,
        # The kelurahan sent is overridden by the pin's.
        {
            "title": "Jalan licin",
            "body": "Hati-hati",
            "lat": TIMUR[0],
            "lon": TIMUR[1],
            "kelurahan": "99.01.01.1001",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    post = Post.objects.get(pk=answer.json()["id"])
    assert post.kelurahan == tiny_city.kelurahan["Timur Utara"]
    assert post.author == people.alice and post.status == Status.VISIBLE
    assert answer.json()["author"] == {"name": "Alice", "role": ""}


def test_it_creates_a_city_wide_post_without_a_pin(people: People, tiny_city: TinyCity) -> None:
    answer = people.api(people.alice).post(
        URL, {"title": "Info", "body": "Untuk semua"}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["city_wide"] is True and answer.json()["location"] is None


def test_it_refuses_a_pin_outside_the_city_in_both_languages(
    people: People, tiny_city: TinyCity
) -> None:
    answer = people.api(people.alice).post(
        URL, {"title": "x", "body": "y", "lat": OUTSIDE[0], "lon": OUTSIDE[1]}, format="json"
    )
    assert answer.status_code == 400
    problem = answer.json()["errors"][0]
    assert problem["field"] == "location" and problem["code"] == "outside_city"
    assert "di luar Kota Contoh" in problem["message"]
    assert "outside Kota Contoh" in problem["message_en"]
    assert not Post.objects.exists()


def test_it_names_the_missing_field(people: People, tiny_city: TinyCity) -> None:
    answer = people.api(people.alice).post(URL, {"title": "", "body": "y"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "title"


def test_it_requires_a_start_for_an_event_and_an_end_after_it(
    people: People, tiny_city: TinyCity
) -> None:
    api = people.api(people.alice)
    missing = api.post(URL, {"kind": "event", "title": "Wirid", "body": "b"}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "starts_at"
    backwards = api.post(
        URL,
        {
            "kind": "event",
            "title": "Wirid",
            "body": "b",
            "starts_at": "2030-01-02T19:00+07:00",
            "ends_at": "2030-01-02T18:00+07:00",
        },
        format="json",
    )
    assert backwards.status_code == 400 and backwards.json()["errors"][0]["field"] == "ends_at"
    bad_date = api.post(
        URL, {"kind": "event", "title": "W", "body": "b", "starts_at": "besok"}, format="json"
    )
    assert bad_date.json()["errors"][0]["field"] == "starts_at"
    good = api.post(
        URL,
        {
            "kind": "event",
            "title": "Wirid",
            "body": "b",
            "starts_at": "2030-01-02T19:00",
            "venue": "Surau",
        },
        format="json",
    )
    assert good.status_code == 201
    assert good.json()["starts_at"] == "2030-01-02T19:00:00+07:00"  # naive means WIB
    assert good.json()["venue"] == "Surau"


def test_it_asks_anonymous_writers_to_log_in(tiny_city: TinyCity) -> None:
    answer = APIClient().post(URL, {"title": "x", "body": "y"}, format="json")
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["code"] == "not_authenticated"


def test_it_accepts_a_token(people: People, tiny_city: TinyCity) -> None:
    token = Token.objects.create(user=people.bob)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post(URL, {"title": "x", "body": "y"}, format="json").status_code == 201


def test_it_enforces_csrf_for_a_session(people: People, tiny_city: TinyCity) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.alice)
    answer = client.post(URL, {"title": "x", "body": "y"}, content_type="application/json")
    assert answer.status_code == 403
    assert not Post.objects.exists()


def test_it_shows_staff_with_their_role(people: People, tiny_city: TinyCity) -> None:
    answer = people.api(people.operator).post(URL, {"title": "x", "body": "y"}, format="json")
    assert answer.json()["author"]["role"] == "Operator Command Center"


def test_it_shows_a_post_with_its_visible_comments(people: People, make_post: MakePost) -> None:
    post = make_post(people.alice)
    for author, body in ((people.bob, "Setuju"), (people.carol, "Spam")):
        people.api(author).post(f"{URL}{post.pk}/comments/", {"body": body}, format="json")
    spam = post.comments.get(body="Spam")
    people.api(people.moderator).post(
        f"/api/community/moderation/comments/{spam.pk}/hide/", {"reason": "iklan"}, format="json"
    )
    detail = APIClient().get(f"{URL}{post.pk}/").json()
    assert [c["body"] for c in detail["comments"]] == ["Setuju"]
    assert detail["kelurahan"]["code_kemendagri"] == "99.01.01.1001"


def test_it_lets_the_author_edit_and_delete_but_nobody_else(
    people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    other = people.api(people.bob).patch(f"{URL}{post.pk}/", {"title": "Hacked"}, format="json")
    assert other.status_code == 403
    mine = people.api(people.alice).patch(
        f"{URL}{post.pk}/",
        {"title": "Diperbaiki", "lat": TIMUR[0], "lon": TIMUR[1]},
        format="json",
    )
    assert mine.status_code == 200
    post.refresh_from_db()
    assert post.title == "Diperbaiki" and post.body == "Bersihkan selokan"
    assert post.kelurahan is not None and post.kelurahan.name == "Timur Utara"
    assert people.api(people.bob).delete(f"{URL}{post.pk}/").status_code == 403
    assert people.api(people.alice).delete(f"{URL}{post.pk}/").status_code == 200
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and post.hidden_cause == "author"
    assert APIClient().get(f"{URL}{post.pk}/").status_code == 404


def test_it_unpins_a_post_on_request(people: People, make_post: MakePost) -> None:
    post = make_post(people.alice, at=BARAT)
    answer = people.api(people.alice).patch(
        f"{URL}{post.pk}/", {"lat": None, "lon": None, "kelurahan": ""}, format="json"
    )
    assert answer.status_code == 200
    post.refresh_from_db()
    assert post.location is None and post.kelurahan is None


def test_it_answers_404_in_both_languages(people: People, tiny_city: TinyCity) -> None:
    answer = APIClient().get(f"{URL}999999/")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["message_en"] == "Post not found."
    assert User.objects.count() > 0
