"""The search callables of the business layers (``lib.layers.Layer.search``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from geo_klik.business import queries, serializers
from geo_klik.business.models import Business, Promotion
from geo_klik.lib import geo, layers


def _score(text: str, name: str, other: str) -> float:
    """1 for a name that starts with the text, 0.8 inside the name, 0.5 elsewhere."""
    words, title = text.strip().lower(), name.lower()
    if not words:
        return 0.0
    if title.startswith(words):
        return 1.0
    if words in title:
        return 0.8
    return 0.5 if words in other.lower() else 0.3


def _distance_m(row: Any) -> float | None:
    distance = getattr(row, "distance", None)
    return float(distance.m) if distance is not None else None


def search_businesses(query: layers.SearchQuery) -> list[layers.SearchHit]:
    """Published listings by text (both languages, category names) and/or near a point."""
    with translation.override(query.language):
        rows = queries.published_businesses()
        if query.text.strip():
            rows = rows.filter(queries.text_filter(query.text))
        elif not query.near:
            return []
        if query.near:
            assert query.lat is not None and query.lon is not None  # noqa: S101  # near says so
            found = list(
                queries.within(rows, lat=query.lat, lon=query.lon, radius_m=query.radius_m)[
                    : query.limit
                ]
            )
        else:
            found = list(rows[:200])
        hits = [_business_hit(query, b) for b in found]
        if not query.near:
            hits.sort(key=lambda hit: (-hit.score, hit.title))
        return hits[: query.limit]


def _business_hit(query: layers.SearchQuery, business: Business) -> layers.SearchHit:
    lat, lon = geo.lat_lon(business.location)
    other = f"{business.description_id} {business.description_en} {business.category_name}"
    subtitle = " · ".join(
        part
        for part in (business.category_name, business.kelurahan.name if business.kelurahan else "")
        if part
    )
    return layers.SearchHit(
        area=layers.BUSINESS,
        layer=serializers.BUSINESS_LAYER,
        title=business.name,
        subtitle=subtitle,
        url=reverse("business-detail", args=[business.slug]),
        lat=lat,
        lon=lon,
        distance_m=_distance_m(business),
        score=_score(query.text, business.name, other),
    )


def search_promotions(query: layers.SearchQuery) -> list[layers.SearchHit]:
    """Published events and promotions not yet ended, by text and/or near a point."""
    with translation.override(query.language):
        rows = queries.public_promotions()
        if query.text.strip():
            rows = queries.promotions_text(rows, query.text)
        elif not query.near:
            return []
        if query.near:
            assert query.lat is not None and query.lon is not None  # noqa: S101  # near says so
            near = queries.promotions_near(
                rows, lat=query.lat, lon=query.lon, radius_m=query.radius_m
            )
            return [_promotion_hit(query, p) for p in near[: query.limit]]
        hits = [_promotion_hit(query, p) for p in rows[:200]]
        hits.sort(key=lambda hit: (-hit.score, hit.title))
        return hits[: query.limit]


def _promotion_hit(query: layers.SearchQuery, promotion: Promotion) -> layers.SearchHit:
    lat, lon = geo.lat_lon(promotion.where)
    return layers.SearchHit(
        area=layers.BUSINESS,
        layer=serializers.PROMOTION_LAYER,
        title=promotion.title,
        subtitle=f"{promotion.business.name} · {serializers.promotion_dates(promotion)}",
        url=reverse("business-detail", args=[promotion.business.slug]) + f"#promosi-{promotion.pk}",
        lat=lat,
        lon=lon,
        distance_m=_distance_m(promotion),
        score=_score(query.text, promotion.title, f"{promotion.body} {promotion.business.name}"),
    )
