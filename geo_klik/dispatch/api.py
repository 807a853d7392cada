"""Public read-only dispatch API: the agencies (SKPD), their current jurisdictions, and the
public view of a report with where it went and why."""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.cache import caches
from django.db.models import F, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from geo_klik.agencies.models import Agency
from geo_klik.boundaries.api import GeoJSONRenderer
from geo_klik.dispatch import queries, serializers
from geo_klik.dispatch.models import JurisdictionVersion
from geo_klik.lib import errors, geo, spatial
from geo_klik.lib.bbox import BBoxFilter
from geo_klik.reports import api as report_api

CATEGORY_CODE = re.compile(r"[a-z0-9_-]{1,40}")
MAX_SIMPLIFY_M = 1000.0


class PublicListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Anonymous, read-only, unpaginated (the lists are city-sized)."""

    authentication_classes = ()
    permission_classes = ()
    pagination_class = None
    http_method_names = ["get", "head", "options"]


class AgencyListView(PublicListView):
    """GET /api/agencies/: the active SKPD and their units."""

    serializer_class = serializers.AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.filter(active=True).select_related("parent", "kecamatan", "kelurahan")


class JurisdictionListView(PublicListView):
    """GET /api/jurisdictions/: current jurisdiction versions as a GeoJSON FeatureCollection.

    Filters: ``in_bbox`` (overlapping a box), ``category`` (served as primary or supporting);
    ``simplify_m`` simplifies the shapes (topology preserved) for smaller maps.
    """

    serializer_class = serializers.JurisdictionFeatureSerializer
    renderer_classes = (GeoJSONRenderer, JSONRenderer)
    filter_backends = (BBoxFilter,)
    bbox_filter_field = "coverage"
    bbox_filter_include_overlapping = True

    def get_queryset(self) -> QuerySet[JurisdictionVersion]:
        versions = (
            JurisdictionVersion.objects.filter(
                is_current=True, jurisdiction__active=True, jurisdiction__agency__active=True
            )
            .select_related("jurisdiction__agency")
            .order_by("jurisdiction__code")
        )
        category = self.request.query_params.get("category")
        if category is not None:
            if not CATEGORY_CODE.fullmatch(category):
                return versions.none()
            versions = versions.filter(
                Q(primary_categories__contains=[category])
                | Q(supporting_categories__contains=[category])
            )
        tolerance_m = simplify_tolerance_m(self.request)
        if tolerance_m:
            degrees = tolerance_m / geo.METRES_PER_DEGREE  # Indonesia is within 11° of the equator
            return versions.annotate(
                shape=spatial.Multi(spatial.SimplifyPreserveTopology("coverage", degrees))
            ).defer("coverage")
        return versions.annotate(shape=F("coverage")).defer("coverage")

    @extend_schema(
        operation_id="jurisdictions_list",
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, description="A category code."),
            OpenApiParameter(
                "simplify_m",
                OpenApiTypes.FLOAT,
                description=f"Simplify shapes to about this many metres (0 to {MAX_SIMPLIFY_M:g}).",
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def simplify_tolerance_m(request: Request) -> float:
    raw = request.query_params.get("simplify_m")
    if raw is None or not raw.strip():
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_SIMPLIFY_M:
        raise errors.invalid(
            "simplify_m",
            "invalid",
            f"simplify_m harus berupa angka meter dari 0 sampai {MAX_SIMPLIFY_M:g}.",
            f"simplify_m must be a number of metres from 0 to {MAX_SIMPLIFY_M:g}.",
        )
    return value


class PublicReportView(report_api.PublicView):
    """GET /api/reports/<tracking_code>/: the public view of one report."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="reports_public",
        responses={
            200: serializers.PublicReportSerializer,
            404: report_api.ERRORS,
            503: report_api.ERRORS,
        },
    )
    def get(self, request: Request, tracking_code: str) -> Response:
        return Response(public_view(request, tracking_code))


# The public view of a report, kept per web process while its version (what it is made of) is
# unchanged: a resident's tracking page polled by many costs one small query, not six.
PUBLIC_VIEW_TTL_S = 60


def public_view(request: Request, tracking_code: str) -> dict[str, Any]:
    """What GET /api/reports/<code>/ answers; the API's bilingual 404 when there is no report."""
    found = queries.public_report_version(tracking_code)
    if found is None:
        raise report_api.not_found()
    code, version = found
    # Photo and page links are absolute: the host the client asked for is part of the view.
    key = f"{code}:{version}:{request.build_absolute_uri('/')}"
    view: dict[str, Any] | None = caches["public_report"].get(key)
    if view is None:
        report = report_api.report_or_404(code, find=queries.public_report)
        view = dict(serializers.PublicReportSerializer(report, context={"request": request}).data)
        caches["public_report"].set(key, view, PUBLIC_VIEW_TTL_S)
    return view
