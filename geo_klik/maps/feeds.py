"""GeoJSON the map pages load from the browser (and the service worker keeps offline)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from geo_klik.maps import queries


@require_safe
def kelurahan_outlines(request: HttpRequest) -> HttpResponse:
    """The light kelurahan outlines the report page draws and tests a pin against."""
    body = json.dumps(queries.kelurahan_outlines(), separators=(",", ":"), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
