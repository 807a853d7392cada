"""FeatureSerializer's own walk of its fields answers exactly what drf-gis's generic one does.

``lib.layers.FeatureSerializer.to_representation`` replaces drf-gis's per-field
``get_attribute``/``to_representation`` by getters and converters prepared once per answer;
these tests hold it to drf-gis's answer on the awkward cases: methods (and a partialmethod) called
as DRF calls them, a method with a required argument left uncalled, a missing related row, a
missing attribute with and without a default, a dict row, the active language changing between
answers.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_klik.information.models import Place
from geo_klik.lib import geo, layers


class Probe(layers.FeatureSerializer):
    layer_key = "probe"
    display = serializers.CharField(source="get_category_display", read_only=True)
    hours = serializers.CharField(source="hours_text", read_only=True)
    kelurahan_name = serializers.CharField(source="kelurahan.name", default="-", read_only=True)
    missing = serializers.ReadOnlyField(source="no_such_attribute", default="x")
    uncalled = serializers.ReadOnlyField(source="serializable_value")  # needs an argument
    opening = serializers.ReadOnlyField(source="opening_hours")
    flag = serializers.BooleanField(source="hours_confirmed", read_only=True)
    count = serializers.IntegerField(source="pk", read_only=True)

    class Meta(layers.FeatureSerializer.Meta):
        model = Place
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("display", "hours", "kelurahan_name", "missing", "uncalled", "opening", "flag"),
            "count",
        )

    def get_subtitle(self, place: Any) -> str:
        return "from get_subtitle"

    def complete(self, place: Any, properties: dict[str, Any]) -> None:
        properties["url"] = f"{properties['display']}|{properties['hours']}"


class StrictProbe(layers.FeatureSerializer):
    kelurahan_name = serializers.CharField(source="kelurahan.name", read_only=True)

    class Meta(layers.FeatureSerializer.Meta):
        model = Place
        fields = (*layers.FeatureSerializer.COMMON_FIELDS, "kelurahan_name")


def drf_gis(serializer: layers.FeatureSerializer, row: Any) -> dict[str, Any]:
    """What drf-gis's own to_representation answers, then the layer's complete()."""
    feature: dict[str, Any] = GeoFeatureModelSerializer.to_representation(serializer, row)
    serializer.complete(row, feature["properties"])
    return feature


def place(pk: int, **fields: Any) -> Place:
    fields.setdefault("name", f"Tempat {pk}")
    fields.setdefault("category", Place.Category.MARKET)
    return Place(id=pk, slug=f"tempat-{pk}", location=geo.point(-0.305, 100.369), **fields)


ROWS = [
    place(1),
    place(2, name="Pasar", name_en="Market", hours_confirmed=True, location_approximate=True),
    place(
        3,
        category=Place.Category.HEALTH,
        opening_hours=[{"days": [0, 1, 2], "opens": "07:00", "closes": "12:00"}],
    ),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.slug)
def test_a_feature_is_what_drf_gis_answers(row: Place, language: str) -> None:
    with translation.override(language):
        serializer = Probe(context={"now": None})
        fast = serializer.to_representation(row)
        slow = drf_gis(Probe(context={"now": None}), row)
    assert fast == slow
    assert list(fast) == ["id", "type", "geometry", "properties"]
    assert list(fast["properties"]) == list(slow["properties"])  # the declared order
    props = fast["properties"]
    assert props["subtitle"] == "from get_subtitle"
    assert props["kelurahan_name"] == "-"  # no kelurahan: the field's default
    assert props["missing"] == "x"
    assert props["uncalled"] == row.serializable_value  # a bound method, left uncalled
    assert props["url"] == f"{props['display']}|{props['hours']}"


def test_methods_are_called_again_in_another_language() -> None:
    """The methods' answers are not remembered across rows or languages, only their kind."""
    row = ROWS[2]
    with translation.override("en"):
        english = Probe(context={"now": None}).to_representation(row)["properties"]
    with translation.override("id"):
        indonesian = Probe(context={"now": None}).to_representation(row)["properties"]
    assert english["display"] != indonesian["display"]
    assert english["hours"] != indonesian["hours"]


def test_many_rows_through_the_list_serializer() -> None:
    data = Probe(ROWS, many=True, context={"now": None}).data
    assert data["type"] == "FeatureCollection"
    assert data["features"] == [drf_gis(Probe(context={"now": None}), row) for row in ROWS]


def test_a_dict_row_takes_drf_gis_path() -> None:
    row = {
        "pk": 9,
        "location": geo.point(-0.3, 100.37),
        "title": "Dari dict",
        "location_approximate": 0,
        "get_category_display": "Pasar",
        "hours_text": "",
        "kelurahan": {"name": "Benteng Pasar Atas"},
        "serializable_value": "v",
        "opening_hours": [],
        "hours_confirmed": "true",
    }
    fast = Probe(context={"now": None}).to_representation(row)
    assert fast == drf_gis(Probe(context={"now": None}), row)
    assert fast["properties"]["kelurahan_name"] == "Benteng Pasar Atas"
    assert fast["properties"]["flag"] is True  # BooleanField's own rules
    assert fast["properties"]["approximate"] is False


def test_a_missing_related_row_without_default_fails_as_drf_gis_does() -> None:
    with pytest.raises(SkipField):
        StrictProbe().to_representation(ROWS[0])
    with pytest.raises(SkipField):
        drf_gis(StrictProbe(), ROWS[0])


def test_a_missing_attribute_without_default_fails_as_drf_gis_does() -> None:
    class NoSuch(layers.FeatureSerializer):
        nothing = serializers.CharField(source="no_such_attribute", read_only=True)

        class Meta(layers.FeatureSerializer.Meta):
            model = Place
            fields = (*layers.FeatureSerializer.COMMON_FIELDS, "nothing")

    with pytest.raises(SkipField):
        NoSuch().to_representation(ROWS[0])
    with pytest.raises(SkipField):
        drf_gis(NoSuch(), ROWS[0])
