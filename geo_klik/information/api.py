"""Public read-only API of places and announcements (GeoJSON layers and JSON lists)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from geo_klik.boundaries.api import PublicReadView
from geo_klik.information import queries, serializers
from geo_klik.information.models import Announcement, Place
from geo_klik.lib import bbox, errors, layers

BBOX_PARAM = OpenApiParameter(
    bbox.PARAM,
    OpenApiTypes.STR,
    description="min_lon,min_lat,max_lon,max_lat in WGS84 degrees.",
)
CATEGORY_PARAM = OpenApiParameter(
    "category",
    OpenApiTypes.STR,
    enum=[c.value for c in Place.Category],
    description="One category.",
)
KELURAHAN_PARAM = OpenApiParameter(
    "kelurahan",
    OpenApiTypes.STR,
    description="A Kemendagri kelurahan code: the whole-city announcements and that kelurahan's.",
)
ERRORS = errors.ErrorsSerializer


def _properties(name: str, extra: dict[str, drf_serializers.Field]) -> Any:  # type: ignore[type-arg]
    """An inline schema of a FeatureCollection whose features carry these properties."""
    common: dict[str, drf_serializers.Field] = {  # type: ignore[type-arg]
        "layer": drf_serializers.CharField(),
        "id": drf_serializers.IntegerField(),
        "title": drf_serializers.CharField(),
        "subtitle": drf_serializers.CharField(),
        "url": drf_serializers.CharField(),
        "approximate": drf_serializers.BooleanField(),
    }
    feature = inline_serializer(
        f"{name}Feature",
        {
            "type": drf_serializers.CharField(),
            "id": drf_serializers.IntegerField(),
            "geometry": drf_serializers.JSONField(),
            "properties": inline_serializer(f"{name}Properties", {**common, **extra}),
        },
    )
    return inline_serializer(
        f"{name}Collection",
        {
            "type": drf_serializers.CharField(),
            "features": drf_serializers.ListField(child=feature),
            "truncated": drf_serializers.BooleanField(required=False),
        },
    )


PLACE_FEATURES = _properties(
    "Place",
    {
        "slug": drf_serializers.CharField(),
        "category": drf_serializers.CharField(),
        "category_label": drf_serializers.CharField(),
        "icon": drf_serializers.CharField(),
        "open_now": drf_serializers.BooleanField(allow_null=True),
        "opening_hours": drf_serializers.CharField(),
        "hours_confirmed": drf_serializers.BooleanField(),
        "kelurahan": drf_serializers.CharField(allow_null=True),
        "is_demo": drf_serializers.BooleanField(),
    },
)
ANNOUNCEMENT_FEATURES = _properties(
    "Announcement",
    {
        "important": drf_serializers.BooleanField(),
        "published_at": drf_serializers.DateTimeField(),
        "expires_at": drf_serializers.DateTimeField(allow_null=True),
        "is_demo": drf_serializers.BooleanField(),
    },
)


def category_param(request: Request) -> str | None:
    """The ``category`` filter; a bilingual 400 for one that does not exist."""
    raw = request.query_params.get("category") or None
    if raw is not None and raw not in Place.Category.values:
        known = ", ".join(Place.Category.values)
        raise errors.invalid(
            "category",
            "unknown_category",
            f"Kategori tidak dikenal. Pilihan: {known}.",
            f"Unknown category. Choose one of: {known}.",
        )
    return raw


@extend_schema_view(
    get=extend_schema(
        operation_id="information_places",
        summary="Places of interest (GeoJSON layer)",
        description=(
            f'At most {layers.MAX_FEATURES} features; a cut answer has "truncated": true. '
            "Titles and labels are in the request's language (Accept-Language id or en)."
        ),
        parameters=[BBOX_PARAM, CATEGORY_PARAM],
        responses={200: PLACE_FEATURES, 400: ERRORS},
    )
)
class PlaceLayerView(layers.LayerView):
    """GET /api/info/places/: places as GeoJSON points (the "places" map layer)."""

    serializer_class = serializers.PlaceFeatureSerializer
    bbox_filter_lookup = "within"  # a point on the box's edge is out, as it always was

    def get_queryset(self) -> QuerySet[Place]:
        return queries.places(category=category_param(self.request))


class PlaceDetailView(PublicReadView):
    """GET /api/info/places/<slug>/: one place with both languages."""

    @extend_schema(
        operation_id="information_place",
        summary="One place of interest",
        responses={200: serializers.PlaceSerializer, 404: ERRORS},
    )
    def get(self, request: Request, slug: str) -> Response:
        place = queries.place(slug)
        if place is None:
            raise errors.Invalid(
                [
                    errors.Problem(
                        "slug",
                        "not_found",
                        "Tempat ini tidak ada.",
                        "There is no such place.",
                    )
                ],
                status_code=status.HTTP_404_NOT_FOUND,
            )
        return Response(serializers.PlaceSerializer(place).data)


class AnnouncementListView(PublicReadView):
    """GET /api/info/announcements/: the current announcements, important first."""

    @extend_schema(
        operation_id="information_announcements",
        summary="Current announcements",
        description=(
            "Published and not expired, important first, then newest. With in_bbox: those "
            "whose place overlaps the box (their point, else their kelurahan, else the city)."
        ),
        parameters=[BBOX_PARAM, KELURAHAN_PARAM],
        responses={200: serializers.AnnouncementSerializer(many=True), 400: ERRORS},
    )
    def get(self, request: Request) -> Response:
        box = bbox.parse_bbox(request.query_params.get(bbox.PARAM))
        kelurahan = None
        code = request.query_params.get("kelurahan") or None
        if code is not None:
            kelurahan = queries.kelurahan_by_code(code)
            if kelurahan is None:
                raise errors.invalid(
                    "kelurahan",
                    "unknown_kelurahan",
                    "Kode kelurahan tidak dikenal.",
                    "Unknown kelurahan code.",
                )
        rows = queries.current_announcements(kelurahan=kelurahan)
        if box is not None:
            rows = queries.announcements_overlapping(rows, box)
        return Response(serializers.AnnouncementSerializer(rows, many=True).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="information_announcements_map",
        summary="Current geo-tagged announcements (GeoJSON layer)",
        parameters=[BBOX_PARAM],
        responses={200: ANNOUNCEMENT_FEATURES, 400: ERRORS},
    )
)
class AnnouncementLayerView(layers.LayerView):
    """GET /api/info/announcements/map/: current geo-tagged announcements as GeoJSON."""

    serializer_class = serializers.AnnouncementFeatureSerializer
    bbox_filter_lookup = "within"  # a point on the box's edge is out, as it always was

    def get_queryset(self) -> QuerySet[Announcement]:
        return queries.geotagged_announcements()
