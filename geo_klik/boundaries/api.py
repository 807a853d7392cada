"""Public read-only boundary API: point -> kelurahan, and all kelurahan as GeoJSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.boundaries import outside, queries
from geo_klik.lib import errors, geo
from geo_klik.lib.layers import GeoJSONRenderer as GeoJSONRenderer  # one class, in lib


class PublicReadView(APIView):
    """Anonymous, read-only: no session, no CSRF, no auth header parsing."""

    authentication_classes = ()
    permission_classes = ()
    http_method_names = ["get", "head", "options"]


_NAMED: dict[str, serializers.Field] = {  # type: ignore[type-arg]
    "name": serializers.CharField(),
    "code_kemendagri": serializers.CharField(),
}
LOOKUP_RESPONSE = inline_serializer(
    "BoundaryLookup",
    {
        "kelurahan": inline_serializer(
            "LookupKelurahan", {**_NAMED, "code_bps": serializers.CharField()}
        ),
        "kecamatan": inline_serializer("LookupKecamatan", _NAMED),
        "kota": inline_serializer("LookupKota", {"name": serializers.CharField()}),
    },
)


class LookupView(PublicReadView):
    """GET ?lat=&lon= -> the kelurahan, kecamatan and kota at that point."""

    @extend_schema(
        summary="Kelurahan, kecamatan and kota at a point",
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("lon", OpenApiTypes.DOUBLE, required=True),
        ],
        responses={200: LOOKUP_RESPONSE, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        try:
            lat, lon = geo.parse_lat_lon(
                request.query_params.get("lat"), request.query_params.get("lon")
            )
        except geo.InvalidCoordinates as exc:
            raise errors.invalid(exc.field, "invalid", exc.message_id, exc.message_en) from None
        kelurahan = queries.kelurahan_for_point(lat, lon)
        if kelurahan is None:
            # Outside the city: where it is instead (a neighbouring kab/kota and its desa).
            raise errors.Invalid(
                [outside.outside_problem(lat, lon, field=None)],
                status_code=status.HTTP_404_NOT_FOUND,
            )
        kecamatan = kelurahan.kecamatan
        return Response(
            {
                "kelurahan": {
                    "name": kelurahan.name,
                    "code_kemendagri": kelurahan.code_kemendagri,
                    "code_bps": kelurahan.code_bps,
                },
                "kecamatan": {"name": kecamatan.name, "code_kemendagri": kecamatan.code_kemendagri},
                "kota": {"name": kecamatan.kota.name},
            }
        )


class KelurahanGeoJSONView(PublicReadView):
    """GET -> every kelurahan as a GeoJSON FeatureCollection."""

    renderer_classes = (GeoJSONRenderer, JSONRenderer)

    @extend_schema(
        summary="The city's kelurahan as a GeoJSON FeatureCollection",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(queries.kelurahan_feature_collection())
