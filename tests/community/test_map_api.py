"""GET /api/community/posts/ and the two layer endpoints: GeoJSON in a box, filtered, capped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from geo_klik.community.models import Post
from geo_klik.lib import layers
from geo_klik.moderation.actions import moderate
from tests.community.conftest import BARAT, TIMUR, MakePost, People

URL = "/api/community/posts/"
BARAT_BOX = "100.0,-0.01,100.01,0.0"  # Barat Utara only


def titles(answer) -> list[str]:
    return [f["properties"]["title"] for f in answer.json()["features"]]


def test_it_answers_geojson_newest_first_with_the_layer_properties(
    people: People, make_post: MakePost
) -> None:
    make_post(people.alice, title="Pertama", at=BARAT)
    make_post(people.bob, title="Kedua", at=TIMUR)
    answer = APIClient().get(URL)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/geo+json")
    body = answer.json()
    assert body["type"] == "FeatureCollection" and body["truncated"] is False
    assert titles(answer) == ["Kedua", "Pertama"]
    props = body["features"][1]["properties"]
    assert props["layer"] == "community_posts" and props["url"] == f"/komunitas/pos/{props['id']}/"
    assert props["subtitle"] == "Barat Utara" and props["approximate"] is False
    assert body["features"][1]["geometry"]["coordinates"] == [BARAT[1], BARAT[0]]


def test_it_filters_by_bbox_kind_and_kelurahan(people: People, make_post: MakePost) -> None:
    make_post(people.alice, title="Di Barat", at=BARAT)
    make_post(people.bob, title="Di Timur", at=TIMUR)
    make_post(people.carol, title="Acara Barat", at=BARAT, kind=Post.Kind.EVENT)
    client = APIClient()
    assert sorted(titles(client.get(URL, {"in_bbox": BARAT_BOX}))) == ["Acara Barat", "Di Barat"]
    assert titles(client.get(URL, {"in_bbox": BARAT_BOX, "kind": "event"})) == ["Acara Barat"]
    assert titles(client.get(URL, {"kelurahan": "99.01.02.1001"})) == ["Di Timur"]
    events = client.get("/api/community/layers/events.geojson").json()["features"]
    assert [f["properties"]["layer"] for f in events] == ["community_events"]
    posts = client.get("/api/community/layers/posts.geojson", {"in_bbox": BARAT_BOX})
    assert titles(posts) == ["Di Barat"]


def test_it_leaves_out_unpinned_hidden_and_ended(people: People, make_post: MakePost) -> None:
    make_post(people.alice, title="Tanpa pin", at=None)
    hidden = make_post(people.bob, title="Disembunyikan")
    moderate(hidden, "hide", people.moderator, "spam")
    make_post(
        people.carol,
        title="Sudah lewat",
        kind=Post.Kind.EVENT,
        starts_in=-timedelta(days=2),
        ends_after=timedelta(hours=2),
    )
    make_post(  # no end: over three hours after its start
        people.dave, title="Tadi pagi", kind=Post.Kind.EVENT, starts_in=-timedelta(hours=4)
    )
    make_post(
        people.alice,
        title="Sedang berlangsung",
        kind=Post.Kind.EVENT,
        starts_in=-timedelta(hours=1),
        ends_after=timedelta(hours=5),
    )
    assert titles(APIClient().get(URL)) == ["Sedang berlangsung"]


def test_it_says_when_it_was_truncated(
    people: People, make_post: MakePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layers, "MAX_FEATURES", 2)
    for author in (people.alice, people.bob, people.carol):
        make_post(author)
    body = APIClient().get(URL).json()
    assert len(body["features"]) == 2 and body["truncated"] is True


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"in_bbox": "1,2,3"}, "in_bbox"),
        ({"in_bbox": "100.1,0,100.0,1"}, "in_bbox"),
        ({"kind": "meeting"}, "kind"),
        ({"kelurahan": "00.00"}, "kelurahan"),
    ],
)
def test_it_names_a_bad_parameter(people: People, make_post: MakePost, params, field) -> None:
    answer = APIClient().get(URL, params)
    assert answer.status_code == 400
    problem = answer.json()["errors"][0]
    assert problem["field"] == field and problem["message"] and problem["message_en"]


def test_it_keeps_the_event_times(people: People, make_post: MakePost) -> None:
    event = make_post(
        people.alice,
        kind=Post.Kind.EVENT,
        starts_in=timedelta(days=3),
        ends_after=timedelta(hours=2),
    )
    props = APIClient().get(URL, {"kind": "event"}).json()["features"][0]["properties"]
    assert props["starts_at"] == timezone.localtime(event.starts_at).isoformat()
    assert "WIB" in props["subtitle"]
