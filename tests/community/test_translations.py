"""The forum pages in Bahasa Indonesia (the default) and in English on request."""

from __future__ import annotations

from django.test import Client

from geo_klik.moderation.actions import moderate
from tests.community.conftest import MakePost, People


def test_it_serves_the_board_in_indonesian_then_english(
    client: Client, people: People, make_post: MakePost
) -> None:
    make_post(people.alice, title="Kerja bakti")
    html = client.get("/komunitas/").content.decode()
    assert "Papan komunitas Contoh" in html and "Tulis pos" in html
    assert "Pos terbaru" in html and "Di dekat saya" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/komunitas/"})
    english = client.get("/komunitas/").content.decode()
    assert "Community board of Contoh" in english and "Write a post" in english
    assert "Recent posts" in english and "Kerja bakti" in english


def test_it_explains_a_hidden_post_to_its_author_in_both_languages(
    client: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    moderate(post, "hide", people.moderator, "Nomor telepon orang lain")
    client.force_login(people.alice)
    html = client.get(f"/komunitas/pos/{post.pk}/").content.decode()
    assert "Disembunyikan oleh moderator" in html and "Nomor telepon orang lain" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/komunitas/pos/{post.pk}/").content.decode()
    assert "Hidden by a moderator" in english


def test_it_serves_the_sign_up_page_in_both_languages(client: Client, db: None) -> None:
    assert "Daftar ke forum komunitas" in client.get("/komunitas/daftar/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign up for the community forum" in client.get("/komunitas/daftar/").content.decode()
