"""The layers' search callables: text in Indonesian and English, category names, near me."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from geo_klik.information import queries
from geo_klik.information.models import Place
from geo_klik.lib import geo
from geo_klik.lib.layers import INFORMATION, SearchHit, SearchQuery
from tests.information.conftest import MakeAnnouncement, MakePlace

# Reference point in Barat Utara; 0.001° of longitude is about 111 m on the equator.
HERE = (-0.005, 100.005)


@pytest.fixture
def places(make_place: MakePlace) -> dict[str, Place]:
    return {
        "pasar": make_place(
            "pasar-barat",
            -0.005,
            100.006,  # ~111 m
            category=Place.Category.MARKET,
            name="Pasar Barat",
            name_en="West Market",
            description_id="Pasar sayur dan kain.",
            description_en="Vegetable and cloth market.",
        ),
        "rs": make_place(
            "rs-kota",
            -0.005,
            100.008,  # ~334 m
            category=Place.Category.HEALTH,
            name="RSUD Kota Contoh",
            name_en="Contoh City Hospital",
            description_id="Rumah sakit umum daerah.",
        ),
        "sekolah": make_place(
            "sma-1",
            -0.005,
            100.025,  # ~2.2 km
            category=Place.Category.SCHOOL,
            name="SMA Negeri 1",
            name_en="State Senior High School 1",
        ),
        "benteng": make_place(
            "benteng",
            -0.015,
            100.015,
            name="Benteng Tua",
            name_en="Old Fort",
            description_id="Sisa benteng dengan pemandangan ngarai.",
            description_en="Remains of a fort with a view of the canyon.",
        ),
    }


def slugs(hits: list[SearchHit]) -> list[str]:
    return [h.url.rstrip("/").rsplit("/", 1)[-1] for h in hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pasar", ["pasar-barat"]),  # Indonesian name and category
        ("market", ["pasar-barat"]),  # English name and category
        ("kain", ["pasar-barat"]),  # Indonesian description
        ("canyon", ["benteng"]),  # English description
        ("old fort", ["benteng"]),  # several words, English name
        ("rumah sakit", ["rs-kota"]),  # the category in Indonesian
        ("hospital", ["rs-kota"]),
        ("sekolah", ["sma-1"]),
        ("school", ["sma-1"]),
        ("BENTENG", ["benteng"]),  # case does not matter
        ("kebun binatang", []),
    ],
)
def test_it_finds_places_by_text_in_both_languages(
    places: dict[str, Place], text: str, expected: list[str]
) -> None:
    assert slugs(queries.search_places(SearchQuery(text=text))) == expected


def test_it_ranks_a_name_above_a_description(make_place: MakePlace) -> None:
    make_place("museum", name="Museum Perjuangan", description_id="Dekat benteng.")
    make_place("benteng", name="Benteng Tua")

    hits = queries.search_places(SearchQuery(text="benteng"))

    assert slugs(hits) == ["benteng", "museum"]
    assert hits[0].score > hits[1].score


def test_it_answers_in_the_query_language(places: dict[str, Place]) -> None:
    [english] = queries.search_places(SearchQuery(text="pasar", language="en"))
    [indonesian] = queries.search_places(SearchQuery(text="pasar", language="id"))

    assert english.title == "West Market"
    assert english.subtitle == "Market · Barat Utara"
    assert indonesian.title == "Pasar Barat"
    assert indonesian.subtitle == "Pasar · Barat Utara"
    assert (english.area, english.layer) == (INFORMATION, "places")
    assert (english.lat, english.lon) == (-0.005, 100.006)
    assert english.distance_m is None
    assert english.icon == "🛒"  # the category's, not the layer's


def test_it_lists_what_is_near_nearest_first_within_the_radius(
    places: dict[str, Place],
) -> None:
    hits = queries.search_places(SearchQuery(lat=HERE[0], lon=HERE[1], radius_m=1000))

    assert slugs(hits) == ["pasar-barat", "rs-kota"]
    assert hits[0].distance_m == pytest.approx(111, abs=2)
    assert hits[1].distance_m == pytest.approx(334, abs=3)
    wider = queries.search_places(SearchQuery(lat=HERE[0], lon=HERE[1], radius_m=2500))
    assert slugs(wider) == ["pasar-barat", "rs-kota", "benteng", "sma-1"]


def test_it_combines_text_and_position(places: dict[str, Place]) -> None:
    near = queries.search_places(SearchQuery(text="sekolah", lat=HERE[0], lon=HERE[1]))
    far = queries.search_places(
        SearchQuery(text="sekolah", lat=HERE[0], lon=HERE[1], radius_m=3000)
    )

    assert near == []  # the school is 2.2 km away, beyond the default 2 km
    assert slugs(far) == ["sma-1"]


def test_it_honours_the_limit_and_needs_text_or_position(places: dict[str, Place]) -> None:
    assert (
        len(queries.search_places(SearchQuery(lat=HERE[0], lon=HERE[1], radius_m=5000, limit=2)))
        == 2
    )
    assert queries.search_places(SearchQuery()) == []


def test_it_finds_current_announcements_by_text_and_position(
    make_announcement: MakeAnnouncement,
) -> None:
    now = timezone.now()
    make_announcement(
        "Jalan ditutup",
        title_en="Road closed",
        body_en="Use another road.",
        location=geo.point(-0.005, 100.007),
    )
    make_announcement("Air mati", title_en="Water cut", issuer="Perumda Air Minum")
    make_announcement(
        "Jalan lama ditutup",
        location=geo.point(-0.005, 100.005),
        published_at=now - dt.timedelta(days=2),
        expires_at=now - dt.timedelta(days=1),
    )

    assert [h.title for h in queries.search_announcements(SearchQuery(text="jalan"))] == [
        "Jalan ditutup"
    ]
    assert [h.title for h in queries.search_announcements(SearchQuery(text="perumda"))] == [
        "Air mati"
    ]
    [english] = queries.search_announcements(SearchQuery(text="road", language="en"))
    assert english.title == "Road closed"
    assert english.layer == "announcements"
    [near] = queries.search_announcements(SearchQuery(lat=HERE[0], lon=HERE[1], radius_m=500))
    assert near.title == "Jalan ditutup"
    assert near.distance_m == pytest.approx(222, abs=3)
    assert queries.search_announcements(SearchQuery(lat=HERE[0], lon=HERE[1], radius_m=100)) == []
