"""GeoJSON the map pages load from the browser (and the service worker keeps offline).

The service areas' layers are served by their own apps (``lib.layers.LayerView``); the reports
feed stays here, tuned for a city of reports (``report_feed``, issue 13).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from geo_klik.maps import queries, report_feed
from geo_klik.reports import api, follow_up, follow_up_serializers


@require_safe
def kelurahan_outlines(request: HttpRequest) -> HttpResponse:
    """The light kelurahan outlines the report page draws and tests a pin against."""
    body = json.dumps(queries.kelurahan_outlines(), separators=(",", ":"), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


class MapFeedView(api.PublicView):
    """GET /api/map/reports.geojson: the public map's reports, without any personal data.

    Filters: ``category`` (code), ``status`` (open | resolved), ``kelurahan`` (Kemendagri
    code), ``days`` (created within, 1-365, default 30), ``in_bbox`` (the viewport,
    ``min_lon,min_lat,max_lon,max_lat`` as every GeoJSON API here; default the whole city).
    Sensitive categories are rounded to about 100 m and carry no photo. A viewport with more than
    ``report_feed.POINTS_LIMIT`` reports answers grid clusters instead of points
    (``"clustered": true``; each feature's properties hold ``cluster``, ``count``, ``open`` and
    the ``bbox`` to zoom to). Answers carry an ``ETag`` and ``Cache-Control``.
    """

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="reports_map",
        parameters=[follow_up_serializers.MapFilterSerializer],
        responses={200: dict, 400: api.ERRORS},
    )
    def get(self, request: Request) -> HttpResponse:
        return report_feed.respond(request, follow_up.map_filter(request.query_params))
