"""The two community layers are registered, and their search finds by text and near a point."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from geo_klik.community.models import Post
from geo_klik.lib import layers
from geo_klik.moderation.actions import moderate
from tests.community.conftest import BARAT, TIMUR, MakePost, People


def test_it_registers_a_posts_and_an_events_layer() -> None:
    posts, events = layers.get("community_posts"), layers.get("community_events")
    assert posts is not None and events is not None
    assert posts.area == events.area == layers.COMMUNITY
    assert reverse(posts.url_name) == "/api/community/layers/posts.geojson"
    assert reverse(events.url_name) == "/api/community/layers/events.geojson"
    assert posts.search is not None and events.search is not None
    keys = [layer.key for layer in layers.all_layers()]
    assert keys.index("community_posts") < keys.index("community_events")


def search(key: str, query: layers.SearchQuery) -> list[layers.SearchHit]:
    layer = layers.get(key)
    assert layer is not None and layer.search is not None
    return layer.search(query)


def test_it_finds_by_text_title_matches_first(people: People, make_post: MakePost) -> None:
    make_post(people.alice, title="Sampah menumpuk", body="Di pasar")
    make_post(people.bob, title="Pasar malam", body="Ramai")
    make_post(people.carol, title="Pasar", body="x", kind=Post.Kind.EVENT)
    hidden = make_post(people.dave, title="Pasar gelap")
    moderate(hidden, "hide", people.moderator, "x")
    hits = search("community_posts", layers.SearchQuery(text="pasar"))
    assert [h.title for h in hits] == ["Pasar malam", "Sampah menumpuk"]
    assert hits[0].score > hits[1].score and hits[0].area == layers.COMMUNITY
    assert hits[0].url.startswith("/komunitas/pos/") and hits[0].distance_m is None
    events = search("community_events", layers.SearchQuery(text="PASAR"))
    assert [h.title for h in events] == ["Pasar"]


def test_it_finds_what_is_near_ordered_by_distance(people: People, make_post: MakePost) -> None:
    make_post(people.alice, title="Di sini", at=BARAT)
    make_post(people.bob, title="Sebelah", at=TIMUR)
    make_post(people.carol, title="Tanpa pin", at=None)
    near = search("community_posts", layers.SearchQuery(lat=BARAT[0], lon=BARAT[1]))
    assert [h.title for h in near] == ["Di sini", "Sebelah"]
    assert near[0].distance_m is not None and near[0].distance_m < 1
    assert near[1].distance_m is not None and 1000 < near[1].distance_m < 1200
    assert (near[0].lat, near[0].lon) == BARAT
    close = layers.SearchQuery(lat=BARAT[0], lon=BARAT[1], radius_m=500)
    assert [h.title for h in search("community_posts", close)] == ["Di sini"]
    both = layers.SearchQuery(text="sebelah", lat=BARAT[0], lon=BARAT[1])
    assert [h.title for h in search("community_posts", both)] == ["Sebelah"]


def test_it_leaves_ended_events_out_of_the_search(people: People, make_post: MakePost) -> None:
    make_post(
        people.alice,
        title="Lomba lalu",
        kind=Post.Kind.EVENT,
        starts_in=-timedelta(days=3),
        ends_after=timedelta(hours=1),
    )
    make_post(people.bob, title="Lomba besok", kind=Post.Kind.EVENT)
    hits = search("community_events", layers.SearchQuery(text="lomba"))
    assert [h.title for h in hits] == ["Lomba besok"]
    assert "WIB" in hits[0].subtitle


def test_it_answers_nothing_to_an_empty_query(people: People, make_post: MakePost) -> None:
    make_post(people.alice)
    assert search("community_posts", layers.SearchQuery()) == []
