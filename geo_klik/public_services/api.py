"""Public read-only API of the public services area: offices (GeoJSON), catalogue, which office."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from geo_klik.boundaries.api import PublicReadView
from geo_klik.lib import errors, layers
from geo_klik.public_services import lookup, queries, serializers
from geo_klik.public_services.models import Office, Service

ADDRESS_PARAMETERS = [
    OpenApiParameter("lat", OpenApiTypes.DOUBLE, description="Latitude (WGS84), with lon."),
    OpenApiParameter("lon", OpenApiTypes.DOUBLE, description="Longitude (WGS84), with lat."),
    OpenApiParameter(
        "kelurahan",
        OpenApiTypes.STR,
        description="Instead of lat/lon: a Kemendagri code (13.75.01.1001) or exact name.",
    ),
]
ERRORS = {400: errors.ErrorsSerializer, 404: errors.ErrorsSerializer}


def _problem_response(problem: lookup.AddressProblem) -> Response:
    return Response(problem.body(), status=problem.status_code)


@extend_schema_view(
    get=extend_schema(
        operation_id="services_offices",
        summary="Public service offices as GeoJSON (map layer 'offices')",
        parameters=[
            OpenApiParameter(
                "in_bbox", OpenApiTypes.STR, description="min_lon,min_lat,max_lon,max_lat"
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                description="Comma-separated office kinds: " + ", ".join(Office.Kind.values),
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: errors.ErrorsSerializer},
    )
)
class OfficesGeoJSONView(layers.LayerView):
    """GET ?in_bbox=&kind= -> the active offices as GeoJSON Points (the "offices" map layer)."""

    serializer_class = serializers.OfficeFeatureSerializer

    def get_queryset(self) -> QuerySet[Office]:
        return queries.offices_of_kinds(_kinds(self.request.query_params.get("kind", "")))


def _kinds(raw: str) -> list[str]:
    kinds = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [k for k in kinds if k not in Office.Kind.values]
    if unknown:
        allowed = ", ".join(Office.Kind.values)
        raise errors.invalid(
            "kind",
            "invalid",
            f"Jenis kantor tidak dikenal: {unknown[0][:40]}. Pilihan: {allowed}.",
            f"Unknown office kind: {unknown[0][:40]}. Choose from: {allowed}.",
        )
    return kinds


class CatalogueView(PublicReadView):
    """GET ?q=&topic= -> the service catalogue (search in Indonesian and English)."""

    @extend_schema(
        operation_id="services_catalogue",
        summary="Service catalogue, optionally searched",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to search (id or en)."),
            OpenApiParameter(
                "topic", OpenApiTypes.STR, description=", ".join(Service.Topic.values)
            ),
        ],
        responses={200: serializers.CATALOGUE_DOC, 400: errors.ErrorsSerializer},
    )
    def get(self, request: Request) -> Response:
        topic = request.query_params.get("topic", "").strip()
        if topic and topic not in Service.Topic.values:
            allowed = ", ".join(Service.Topic.values)
            raise errors.invalid(
                "topic",
                "invalid",
                f"Topik tidak dikenal. Pilihan: {allowed}.",
                f"Unknown topic. Choose from: {allowed}.",
            )
        text = request.query_params.get("q", "")[:100]
        services = queries.catalogue(text=text, topic=topic)
        return Response(
            {
                "count": len(services),
                "services": [serializers.service_summary(s) for s in services],
            }
        )


class ServiceDetailView(PublicReadView):
    """GET /api/services/<slug>/ -> a service with its documents; with an address, where to go."""

    @extend_schema(
        operation_id="services_detail",
        summary="One service with its documents; with lat/lon or kelurahan, the office to go to",
        parameters=ADDRESS_PARAMETERS,
        responses={200: serializers.DETAIL_DOC, **ERRORS},
    )
    def get(self, request: Request, slug: str) -> Response:
        service = queries.service_detail(slug)
        if service is None:
            raise errors.Invalid(
                [errors.Problem(None, "not_found", "Layanan tidak ditemukan.", "No such service.")],
                status_code=404,
            )
        answer = serializers.service_detail(service)
        if lookup.given(request.query_params):
            where = lookup.address(request.query_params)
            try:
                at = lookup.resolve(where)
            except lookup.AddressProblem as problem:
                return _problem_response(problem)
            answer["address"] = serializers.offices_at_json(at, with_services=False)
            answer["go_to"] = serializers.destinations_json(queries.where_to_go(service, at))
        return Response(answer)


class WhichOfficeView(PublicReadView):
    """GET ?lat=&lon= or ?kelurahan= -> kantor lurah, kantor camat, MPP/Disdukcapil, puskesmas."""

    @extend_schema(
        operation_id="services_which_office",
        summary="Which offices serve an address (a point or a kelurahan)",
        parameters=ADDRESS_PARAMETERS,
        responses={200: serializers.WHICH_OFFICE_DOC, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        where = lookup.address(request.query_params)
        try:
            at = lookup.resolve(where)
        except lookup.AddressProblem as problem:
            return _problem_response(problem)
        return Response(serializers.offices_at_json(at))
