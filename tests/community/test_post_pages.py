"""The post pages: detail, the create/edit form (login required), comments and reports by form."""

from __future__ import annotations

from django.test import Client

from geo_klik.community import actions
from geo_klik.community.models import Comment, Flag, Post, Status
from tests.community.conftest import BARAT, OUTSIDE, MakePost, People
from tests.conftest import TinyCity


def test_it_sends_an_anonymous_writer_to_log_in_with_next(
    client: Client, tiny_city: TinyCity
) -> None:
    answer = client.get("/komunitas/pos/baru/")
    assert answer.status_code == 302
    assert answer["Location"] == "/akun/masuk/?next=/komunitas/pos/baru/"


def test_it_creates_a_pinned_event_from_the_form(
    client: Client, people: People, tiny_city: TinyCity
) -> None:
    client.force_login(people.alice)
    assert client.get("/komunitas/pos/baru/?jenis=event").status_code == 200
    answer = client.post(
        "/komunitas/pos/baru/",
        {
            "kind": "event",
            "title": "Wirid",
            "body": "Di surau",
            "kelurahan": "",
            "lat": BARAT[0],
            "lon": BARAT[1],
            "starts_at": "2030-05-01T19:30",
            "venue": "Surau",
        },
    )
    post = Post.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/komunitas/pos/{post.pk}/"
    assert post.kelurahan == tiny_city.kelurahan["Barat Utara"] and post.is_event
    html = client.get(answer["Location"]).content.decode()
    assert "01-05-2030 19:30 WIB" in html and "Surau" in html


def test_it_keeps_the_text_when_the_pin_is_outside_the_city(
    client: Client, people: People, tiny_city: TinyCity
) -> None:
    client.force_login(people.alice)
    answer = client.post(
        "/komunitas/pos/baru/",
        {
            "kind": "post",
            "title": "Judul saya",
            "body": "Isi yang panjang",
            "lat": OUTSIDE[0],
            "lon": OUTSIDE[1],
        },
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "di luar Kota Bukittinggi" in html
    assert 'value="Judul saya"' in html and "Isi yang panjang" in html
    assert not Post.objects.exists()


def test_it_lets_the_author_edit_and_delete_by_form(
    client: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    client.force_login(people.bob)
    assert client.get(f"/komunitas/pos/{post.pk}/ubah/").status_code == 403
    client.force_login(people.alice)
    form = client.get(f"/komunitas/pos/{post.pk}/ubah/").content.decode()
    assert 'value="Gotong royong"' in form
    client.post(
        f"/komunitas/pos/{post.pk}/ubah/",
        {"kind": "post", "title": "Gotong royong Minggu", "body": "Bawa cangkul"},
    )
    post.refresh_from_db()
    assert post.title == "Gotong royong Minggu" and post.location is None
    client.post(f"/komunitas/pos/{post.pk}/hapus/")
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and post.hidden_cause == "author"


def test_it_comments_and_reports_by_form(
    client: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    detail = client.get(f"/komunitas/pos/{post.pk}/").content.decode()
    assert "untuk berkomentar" in detail and "/akun/masuk/?next=" in detail
    client.force_login(people.bob)
    empty = client.post(f"/komunitas/pos/{post.pk}/komentar/", {"body": ""})
    assert empty.status_code == 400
    client.post(f"/komunitas/pos/{post.pk}/komentar/", {"body": "Saya ikut"})
    comment = Comment.objects.get()
    assert comment.author == people.bob
    assert "Saya ikut" in client.get(f"/komunitas/pos/{post.pk}/").content.decode()
    client.force_login(people.carol)
    answer = client.post(
        f"/komunitas/komentar/{comment.pk}/laporkan/", {"reason": "abuse", "note": "kasar"}
    )
    assert answer.status_code == 302
    assert Flag.objects.get().comment == comment
    again = client.post(
        f"/komunitas/komentar/{comment.pk}/laporkan/", {"reason": "abuse"}, follow=True
    )
    assert "sudah melaporkan" in again.content.decode()


def test_it_tells_a_banned_resident_why_the_comment_form_is_gone(
    client: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice)
    actions.ban(people.bob, people.moderator, reason="Kata kasar", until=None)
    client.force_login(people.bob)
    html = client.get(f"/komunitas/pos/{post.pk}/").content.decode()
    assert "diblokir permanen" in html and "Kata kasar" in html
    assert 'name="body"' not in html


def test_it_shows_the_moderation_queue_only_to_moderators(
    client: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice, title="Jual obat")
    for user in (people.bob, people.carol, people.dave):
        actions.flag(post, user, reason=Flag.Reason.SPAM, note="iklan")
    assert client.get("/komunitas/moderasi/")["Location"].startswith("/akun/masuk/?next=")
    client.force_login(people.operator)
    assert client.get("/komunitas/moderasi/").status_code == 403
    client.force_login(people.moderator)
    html = client.get("/komunitas/moderasi/").content.decode()
    assert "Jual obat" in html and "Disembunyikan otomatis" in html and "iklan" in html
    client.post(f"/komunitas/moderasi/pos/{post.pk}/tampilkan/", {"reason": "ok"})
    post.refresh_from_db()
    assert post.status == Status.VISIBLE
    assert "Jual obat" not in client.get("/komunitas/moderasi/").content.decode()
    client.post("/komunitas/moderasi/blokir/", {"username": "bob", "reason": "x", "duration": "7"})
    assert "bob" in client.get("/komunitas/moderasi/").content.decode()
    client.post(f"/komunitas/moderasi/pos/{post.pk}/sembunyikan/", {"reason": "iklan obat"})
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and post.hidden_reason == "iklan obat"
