"""The search request's parameters (``q``, ``lat``, ``lon``, ``radius_m``, ``area``, ``limit``)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

from geo_klik.lib import errors, geo, layers
from geo_klik.search import queries

MAX_TEXT = 100
MIN_RADIUS_M = 50.0
MAX_RADIUS_M = 10_000.0
DEFAULT_RADIUS_M = 1500.0


def parse(params: Mapping[str, str]) -> tuple[layers.SearchQuery, list[str]]:
    """The query and the areas asked for; raises ``errors.Invalid`` with every problem."""
    problems: list[errors.Problem] = []
    text = " ".join((params.get("q") or "").split())
    if len(text) > MAX_TEXT:
        problems.append(
            errors.Problem(
                "q",
                "too_long",
                f"Kata kunci paling panjang {MAX_TEXT} karakter.",
                f"The search text can be at most {MAX_TEXT} characters.",
            )
        )
    lat = lon = None
    if params.get("lat") or params.get("lon"):
        try:
            lat, lon = geo.parse_lat_lon(params.get("lat"), params.get("lon"))
        except geo.InvalidCoordinates as exc:
            problems.append(errors.Problem(exc.field, "invalid", exc.message_id, exc.message_en))
    radius_m = _number(params, "radius_m", DEFAULT_RADIUS_M, MIN_RADIUS_M, MAX_RADIUS_M, problems)
    limit = int(_number(params, "limit", 20, 1, queries.MAX_LIMIT, problems))
    areas = [a for a in (params.get("area") or "").split(",") if a]
    unknown = [a for a in areas if a not in layers.AREAS]
    if unknown:
        problems.append(
            errors.Problem(
                "area",
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
        )
    if not problems and not text and lat is None:
        problems.append(
            errors.Problem(
                "q",
                "required",
                "Ketik yang dicari, atau gunakan lokasi Anda (lat dan lon).",
                "Type what you are looking for, or use your location (lat and lon).",
            )
        )
    if problems:
        raise errors.Invalid(problems)
    language = (get_language() or "id")[:2]
    query = layers.SearchQuery(
        text=text, lat=lat, lon=lon, radius_m=radius_m, limit=limit, language=language
    )
    return query, areas


def _number(
    params: Mapping[str, str],
    name: str,
    default: float,
    low: float,
    high: float,
    problems: list[errors.Problem],
) -> float:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        problems.append(
            errors.Problem(
                name,
                "invalid",
                f"{name} harus berupa angka antara {low:g} dan {high:g}.",
                f"{name} must be a number between {low:g} and {high:g}.",
            )
        )
        return default
    return value
