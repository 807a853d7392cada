"""GET /api/search/: one search over the five service areas, by text and/or near a point."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.lib import layers
from geo_klik.search import params, queries


def hit_json(hit: layers.SearchHit) -> dict[str, Any]:
    layer = layers.get(hit.layer)
    return {
        "area": hit.area,
        "area_label": str(layers.AREA_LABELS[hit.area]),
        "layer": hit.layer,
        "icon": hit.icon or (layer.icon if layer else ""),
        "title": hit.title,
        "subtitle": hit.subtitle,
        "url": hit.url,
        "lat": None if hit.lat is None else round(hit.lat, 6),
        "lon": None if hit.lon is None else round(hit.lon, 6),
        "distance_m": None if hit.distance_m is None else round(hit.distance_m),
    }


class SearchView(APIView):
    """Search all five service areas of the city's smart-city portal.

    ``q`` (text, up to 100 characters) and/or ``lat`` and ``lon`` ("near me", within
    ``radius_m`` metres, default 1500, 50-10000); ``area`` limits to a comma-separated list of
    ``klik, community, information, business, public_services``; ``limit`` 1-50 (default 20).
    With a position, results are nearest first.
    """

    authentication_classes = ()
    permission_classes = ()
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[params.SearchSerializer],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        query, areas = params.parse(request.query_params)
        hits = queries.search(query, areas=areas)
        return Response(
            {
                "query": {
                    "q": query.text,
                    "lat": query.lat,
                    "lon": query.lon,
                    "radius_m": query.radius_m,
                    "areas": areas or list(layers.AREAS),
                },
                "count": len(hits),
                "areas": queries.counts_by_area(hits),
                "results": [hit_json(hit) for hit in hits],
            }
        )
