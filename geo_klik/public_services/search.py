"""The "offices" layer's search: offices and services by text, offices by "near me"."""

from __future__ import annotations

from django.contrib.gis.measure import D
from django.urls import reverse
from django.utils import translation
from geopy.distance import geodesic

from geo_klik.lib import geo, layers
from geo_klik.public_services import queries, serializers
from geo_klik.public_services.models import Office, Service


def search(query: layers.SearchQuery) -> list[layers.SearchHit]:
    """Text: matching offices and services (a text match is not limited to ``radius_m``: there
    are few offices and each serves the whole city or a whole kelurahan). No text and a
    position: the offices within ``radius_m``, nearest first."""
    with translation.override(query.language):
        text = " ".join(query.text.split())
        if not text:
            if query.lat is None or query.lon is None:
                return []
            near = queries.offices_near(
                query.lat, query.lon, radius_m=query.radius_m, limit=query.limit
            )
            return [_office_hit(o, score=_closeness(o, query.radius_m)) for o in near]
        location = geo.point(query.lat, query.lon) if query.near else None  # type: ignore[arg-type]
        offices = queries.offices_matching(text, limit=query.limit, near=location)
        hits = [_office_hit(o, score=_relevance(text, o.name)) for o in offices]
        hits += _service_hits(queries.catalogue(text=text)[: query.limit], text, query)
        hits.sort(key=lambda hit: (-hit.score, hit.distance_m or 0.0, hit.title))
        return hits[: query.limit]


def _office_hit(office: Office, *, score: float) -> layers.SearchHit:
    lat, lon = geo.lat_lon(office.location)
    distance: D | None = getattr(office, "distance", None)
    return layers.SearchHit(
        area=layers.PUBLIC_SERVICES,
        layer=serializers.LAYER_KEY,
        title=office.name,
        subtitle=str(office.get_kind_display()),
        url=reverse("services-office", args=[office.slug]),
        lat=lat,
        lon=lon,
        distance_m=None if distance is None else round(float(distance.m), 1),
        score=score,
    )


def _service_hits(
    services: list[Service], text: str, query: layers.SearchQuery
) -> list[layers.SearchHit]:
    """A service has no position of its own; for a searcher inside the city it takes the
    position of the office to go to for their address."""
    at = None
    if query.lat is not None and query.lon is not None:
        at = queries.offices_for_point(query.lat, query.lon)
    hits = []
    for service in services:
        lat = lon = distance_m = None
        if at is not None and query.lat is not None and query.lon is not None:
            destinations = queries.where_to_go(service, at)
            if destinations:
                lat, lon = geo.lat_lon(destinations[0].office.location)
                distance_m = round(geodesic((query.lat, query.lon), (lat, lon)).meters, 1)
        hits.append(
            layers.SearchHit(
                area=layers.PUBLIC_SERVICES,
                layer=serializers.LAYER_KEY,
                title=service.name,
                subtitle=" · ".join(
                    (
                        str(service.get_topic_display()),
                        serializers.fee_text(service),
                        serializers.time_text(service),
                    )
                ),
                url=reverse("services-detail", args=[service.slug]),
                lat=lat,
                lon=lon,
                distance_m=distance_m,
                score=max(_relevance(text, service.name_id), _relevance(text, service.name_en)),
            )
        )
    return hits


def _relevance(text: str, name: str) -> float:
    """1 for a name starting with the text, 0.8 when every word is in the name, else 0.5 (the
    match was in another field: summary, notes, documents)."""
    wanted, lowered = text.casefold(), name.casefold()
    if lowered.startswith(wanted):
        return 1.0
    if all(word in lowered for word in wanted.split()):
        return 0.8
    return 0.5


def _closeness(office: Office, radius_m: float) -> float:
    distance: D | None = getattr(office, "distance", None)
    if distance is None or radius_m <= 0:
        return 0.0
    return max(0.0, 1.0 - float(distance.m) / radius_m)
