"""The search request's parameters (``q``, ``lat``, ``lon``, ``radius_m``, ``area``, ``limit``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from geo_klik.lib import checks, errors, geo, layers
from geo_klik.search import queries

MAX_TEXT = 100
MIN_RADIUS_M = 50.0
MAX_RADIUS_M = 10_000.0
DEFAULT_RADIUS_M = 1500.0


class SearchText(checks.CheckedField, serializers.CharField):
    """What to look for, its runs of white space made one space."""

    def check(self, raw: Any) -> str:
        text = " ".join((raw or "").split())
        if len(text) > MAX_TEXT:
            raise self.refuse(
                "too_long",
                f"Kata kunci paling panjang {MAX_TEXT} karakter.",
                f"The search text can be at most {MAX_TEXT} characters.",
            )
        return text


class NearCoordinate(checks.Coordinate):
    """``lat`` or ``lon`` of "near me": both or neither; one problem for the pair, lat's first."""

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        if not (dictionary.get("lat") or dictionary.get("lon")):
            return empty
        if self.name == "lon":
            try:
                geo.parse_coordinate("lat", dictionary.get("lat"), limit=90.0)
            except (geo.InvalidCoordinates, OverflowError):
                return empty  # lat's problem is the one reported
        return dictionary.get(self.name)

    def run_validation(self, data: Any = empty) -> Any:
        if data is empty:
            raise SkipField
        return self.check(data)


class Number(checks.CheckedField, serializers.FloatField):
    """A number from min_value to max_value; the default when absent or blank."""

    def __init__(self, *, default_value: float, **kwargs: Any) -> None:
        self.default_value = default_value
        super().__init__(required=False, **kwargs)

    def check(self, raw: Any) -> float:
        return number_in_range(self, raw, self.default_value)


class Count(checks.CheckedField, serializers.IntegerField):
    """A whole number from min_value to max_value (a fraction is cut); the default if absent."""

    def __init__(self, *, default_value: int, **kwargs: Any) -> None:
        self.default_value = default_value
        super().__init__(required=False, **kwargs)

    def check(self, raw: Any) -> int:
        return int(number_in_range(self, raw, self.default_value))


def number_in_range(field: Number | Count, raw: Any, default: float) -> float:
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    low, high = float(field.min_value or 0), float(field.max_value or 0)
    if not low <= value <= high:
        raise field.refuse(
            "invalid",
            f"{field.name} harus berupa angka antara {low:g} dan {high:g}.",
            f"{field.name} must be a number between {low:g} and {high:g}.",
        )
    return value


class Areas(checks.CheckedField, serializers.CharField):
    """A comma-separated list of service areas (``layers.AREAS``); empty means all."""

    def check(self, raw: Any) -> list[str]:
        areas = [a for a in (raw or "").split(",") if a]
        unknown = [a for a in areas if a not in layers.AREAS]
        if unknown:
            raise self.refuse(
                "invalid",
                "Area layanan tidak dikenal: "
                + ", ".join(unknown)
                + ". Pilihan: "
                + ", ".join(layers.AREAS)
                + ".",
                "Unknown service area: "
                + ", ".join(unknown)
                + ". Choices: "
                + ", ".join(layers.AREAS)
                + ".",
            )
        return areas


class SearchSerializer(checks.CheckedSerializer):
    """Search by text (``q``) and/or near a point (``lat`` and ``lon``)."""

    q = SearchText(required=False, max_length=MAX_TEXT, help_text="Up to 100 characters.")
    lat = NearCoordinate(limit=90.0, help_text="With lon: near this point.")
    lon = NearCoordinate(limit=180.0, help_text="With lat: near this point.")
    radius_m = Number(
        default_value=DEFAULT_RADIUS_M,
        min_value=MIN_RADIUS_M,
        max_value=MAX_RADIUS_M,
        help_text="Metres around lat/lon; default 1500.",
    )
    limit = Count(default_value=20, min_value=1, max_value=queries.MAX_LIMIT, help_text="1-50.")
    area = Areas(
        required=False, help_text="Comma-separated: " + ", ".join(layers.AREAS) + "; default all."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["q"] and attrs.get("lat") is None:
            raise errors.invalid(
                "q",
                "required",
                "Ketik yang dicari, atau gunakan lokasi Anda (lat dan lon).",
                "Type what you are looking for, or use your location (lat and lon).",
            )
        return attrs


def parse(params: Mapping[str, str]) -> tuple[layers.SearchQuery, list[str]]:
    """The query and the areas asked for; raises ``errors.Invalid`` with every problem."""
    checked = SearchSerializer(data=params)
    checked.is_valid(raise_exception=True)
    values = checked.validated_data
    query = layers.SearchQuery(
        text=values["q"],
        lat=values.get("lat"),
        lon=values.get("lon"),
        radius_m=values["radius_m"],
        limit=values["limit"],
        language=(get_language() or "id")[:2],
    )
    return query, values["area"]
