"""The layers' search callables: text in both languages, category words, "near me"."""

from __future__ import annotations

import datetime as dt

import pytest

from geo_klik.business import search
from geo_klik.business.models import Business
from geo_klik.lib import geo
from geo_klik.lib.layers import SearchQuery
from tests.business.conftest import BARAT, NOW, TIMUR, MakeBusiness, MakePromotion

pytestmark = pytest.mark.usefixtures("clock")


def test_it_finds_by_name_description_in_either_language_and_category_words(
    make_business: MakeBusiness,
) -> None:
    make_business("Kedai Kopi Ambun", description_en="Kawa leaf coffee")
    make_business("Laundry Bersih", category="jasa", where=TIMUR)
    make_business("Sembunyi Kopi", status=Business.Status.HIDDEN)
    assert [h.title for h in search.search_businesses(SearchQuery(text="kopi"))] == [
        "Kedai Kopi Ambun"
    ]
    assert [h.title for h in search.search_businesses(SearchQuery(text="leaf"))] == [
        "Kedai Kopi Ambun"
    ]
    # "bengkel" is one of the words of the services category
    hits = search.search_businesses(SearchQuery(text="bengkel"))
    assert [h.title for h in hits] == ["Laundry Bersih"]
    assert hits[0].area == "business" and hits[0].layer == "businesses"
    assert hits[0].url == f"/usaha/{Business.objects.get(name='Laundry Bersih').slug}/"
    assert search.search_businesses(SearchQuery(text="")) == []


def test_it_ranks_a_name_match_above_a_description_match(make_business: MakeBusiness) -> None:
    make_business("Rumah Makan Salero", description_id="Ada sate juga")
    make_business("Sate Padang Ajo")
    hits = search.search_businesses(SearchQuery(text="sate"))
    assert [h.title for h in hits] == ["Sate Padang Ajo", "Rumah Makan Salero"]
    assert hits[0].score > hits[1].score


def test_it_finds_what_is_near_in_metres_nearest_first(make_business: MakeBusiness) -> None:
    make_business("Dekat", where=(-0.0051, 100.0051))
    make_business("Agak Jauh", where=TIMUR)  # about 1.1 km east
    near = search.search_businesses(SearchQuery(lat=BARAT[0], lon=BARAT[1], radius_m=500))
    assert [h.title for h in near] == ["Dekat"]
    assert near[0].distance_m is not None and 10 < near[0].distance_m < 25
    wider = search.search_businesses(SearchQuery(lat=BARAT[0], lon=BARAT[1], radius_m=2000))
    assert [h.title for h in wider] == ["Dekat", "Agak Jauh"]
    assert 1000 < (wider[1].distance_m or 0) < 1200
    both = search.search_businesses(
        SearchQuery(text="jauh", lat=BARAT[0], lon=BARAT[1], radius_m=2000)
    )
    assert [h.title for h in both] == ["Agak Jauh"]


def test_it_answers_in_the_querys_language(make_business: MakeBusiness) -> None:
    make_business("Bengkel Motor Uda", category="jasa")
    [hit] = search.search_businesses(SearchQuery(text="bengkel", language="en"))
    assert hit.subtitle.startswith("Services")
    [hit] = search.search_businesses(SearchQuery(text="bengkel", language="id"))
    assert hit.subtitle.startswith("Jasa")


def test_it_finds_current_promotions_by_text_and_near_their_place(
    make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    barat = make_business("Bordir Uni Ema")
    make_promotion(barat, title="Diskon mukena", title_en="Prayer robe sale")
    make_promotion(barat, title="Bazar di timur", location=geo.point(*TIMUR))
    make_promotion(barat, title="Diskon lama", starts=NOW - dt.timedelta(days=9), ends=NOW)
    by_text = search.search_promotions(SearchQuery(text="diskon"))
    assert [h.title for h in by_text] == ["Diskon mukena"]
    assert [h.title for h in search.search_promotions(SearchQuery(text="robe", language="en"))] == [
        "Prayer robe sale"
    ]
    near_timur = search.search_promotions(SearchQuery(lat=TIMUR[0], lon=TIMUR[1], radius_m=300))
    assert [h.title for h in near_timur] == ["Bazar di timur"]
    assert near_timur[0].layer == "business_promotions" and near_timur[0].distance_m == 0
