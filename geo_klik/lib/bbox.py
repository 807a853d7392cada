"""The ``in_bbox=min_lon,min_lat,max_lon,max_lat`` parameter every GeoJSON API takes."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework_gis.filters import InBBoxFilter

from geo_klik.lib import errors, geo

PARAM = "in_bbox"


def parse_bbox(raw: str | None, *, param: str = PARAM) -> Polygon | None:
    """A WGS84 box polygon from ``west,south,east,north`` degrees; None when absent.

    Raises ``errors.Invalid`` (400, bilingual) for anything else, so a client bug is named.
    """
    if not raw:
        return None
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        west = south = east = north = math.nan
    numbers = (west, south, east, north)
    if (
        not all(math.isfinite(n) for n in numbers)
        or not -180 <= west < east <= 180
        or not -90 <= south < north <= 90
    ):
        raise errors.invalid(
            param,
            "invalid",
            f"{param} harus berupa min_lon,min_lat,max_lon,max_lat dalam derajat WGS84.",
            f"{param} must be min_lon,min_lat,max_lon,max_lat in WGS84 degrees.",
        )
    bbox = Polygon.from_bbox(numbers)
    bbox.srid = geo.WGS84
    return bbox


class BBoxFilter(InBBoxFilter):  # type: ignore[misc]
    """drf-gis's ``in_bbox`` filter (set ``bbox_filter_field`` on the view), bilingual errors.

    A view may name an exact spatial lookup in ``bbox_filter_lookup`` ("intersects": a point on
    the edge is in; "within": it is out) instead of drf-gis's bounding-box ``contained``, which
    PostGIS answers on single-precision boxes.
    """

    def get_filter_bbox(self, request: Request) -> Polygon | None:
        return parse_bbox(request.query_params.get(self.bbox_param), param=self.bbox_param)

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        lookup = getattr(view, "bbox_filter_lookup", None)
        if lookup is None:
            return super().filter_queryset(request, queryset, view)
        box = self.get_filter_bbox(request)
        if box is None:
            return queryset
        return queryset.filter(**{f"{view.bbox_filter_field}__{lookup}": box})
