"""The boards: the city board, a kelurahan's board (its posts plus city-wide), near me, pages."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from geo_klik.community import views
from geo_klik.community.models import Post
from geo_klik.moderation.actions import moderate
from tests.community.conftest import BARAT, TIMUR, MakePost, People
from tests.conftest import TinyCity


def test_it_shows_the_city_board_with_events_and_posts(
    client: Client, people: People, make_post: MakePost
) -> None:
    make_post(people.alice, title="Kerja bakti", kind=Post.Kind.EVENT, starts_in=timedelta(days=2))
    make_post(people.bob, title="Lampu mati", at=TIMUR)
    make_post(people.operator, title="Pengumuman petugas", at=None)
    page = client.get("/komunitas/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acara mendatang" in html and "Kerja bakti" in html
    assert "Lampu mati" in html and "Kelurahan Timur Utara" in html
    assert "Operator Command Center" in html  # staff are shown with their role
    assert "Seluruh kota" in html


def test_it_shows_a_kelurahan_board_with_the_city_wide_posts_labelled(
    client: Client, people: People, make_post: MakePost, tiny_city: TinyCity
) -> None:
    make_post(people.alice, title="Di Barat", at=BARAT)
    make_post(people.bob, title="Di Timur", at=TIMUR)
    make_post(people.carol, title="Untuk semua", at=None)
    html = client.get("/komunitas/kelurahan/99.01.01.1001/").content.decode()
    assert "Papan komunitas Kelurahan Barat Utara" in html
    assert "Di Barat" in html and "Untuk semua" in html and "Di Timur" not in html
    assert "🏙️ Seluruh kota" in html
    assert client.get("/komunitas/kelurahan/00.00/").status_code == 404


def test_it_sends_the_kelurahan_filter_to_the_kelurahan_board(
    client: Client, tiny_city: TinyCity
) -> None:
    answer = client.get("/komunitas/", {"kelurahan": "99.01.02.1001", "jenis": "event"})
    assert answer.status_code == 302
    assert answer["Location"] == "/komunitas/kelurahan/99.01.02.1001/?jenis=event"


def test_it_filters_the_board_by_kind(client: Client, people: People, make_post: MakePost) -> None:
    make_post(people.alice, title="Sebuah acara", kind=Post.Kind.EVENT)
    make_post(people.bob, title="Sebuah pos")
    html = client.get("/komunitas/", {"jenis": "post"}).content.decode()
    assert "Sebuah pos" in html and "Sebuah acara" not in html


def test_it_lists_what_is_near_me(client: Client, people: People, make_post: MakePost) -> None:
    make_post(people.alice, title="Dekat sekali", at=BARAT)
    make_post(people.bob, title="Agak jauh", at=TIMUR)  # about 1.1 km east
    make_post(people.carol, title="Tanpa tempat", at=None)
    html = client.get(f"/komunitas/?lat={BARAT[0]}&lon={BARAT[1]}").content.decode()
    near = html.split('id="near-title"')[1].split("</section>")[0]
    assert near.index("Dekat sekali") < near.index("Agak jauh")
    assert "Tanpa tempat" not in near and "m dari sini" in near


def test_it_pages_long_lists(
    client: Client, people: People, make_post: MakePost, monkeypatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n, author in enumerate((people.alice, people.bob, people.carol)):
        make_post(author, title=f"Nomor {n}")
    first = client.get("/komunitas/").content.decode()
    assert "Nomor 2" in first and "Nomor 0" not in first and "halaman=2" in first
    second = client.get("/komunitas/", {"halaman": 2}).content.decode()
    assert "Nomor 0" in second and "Nomor 2" not in second


def test_it_hides_hidden_posts_from_the_board_except_for_the_author(
    client: Client, people: People, make_post: MakePost
) -> None:
    post = make_post(people.alice, title="Rahasia")
    moderate(post, "hide", people.moderator, "Data pribadi")
    assert "Rahasia" not in client.get("/komunitas/").content.decode()
    client.force_login(people.alice)
    html = client.get("/komunitas/").content.decode()
    assert "Rahasia" in html and "Disembunyikan" in html
    detail = client.get(f"/komunitas/pos/{post.pk}/").content.decode()
    assert "Data pribadi" in detail
    client.force_login(people.bob)
    assert client.get(f"/komunitas/pos/{post.pk}/").status_code == 404
