"""Public read-only boundary API: point -> kelurahan, and all kelurahan as GeoJSON."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.boundaries import queries
from geo_klik.lib import geo


class GeoJSONRenderer(JSONRenderer):
    """JSON served as application/geo+json (RFC 7946); plain JSON clients still get JSON."""

    media_type = "application/geo+json"
    format = "geojson"


class PublicReadView(APIView):
    """Anonymous, read-only: no session, no CSRF, no auth header parsing."""

    authentication_classes = ()
    permission_classes = ()
    http_method_names = ["get", "head", "options"]


class LookupView(PublicReadView):
    """GET ?lat=&lon= -> the kelurahan, kecamatan and kota at that point."""

    def get(self, request: Request) -> Response:
        try:
            lat, lon = geo.parse_lat_lon(
                request.query_params.get("lat"), request.query_params.get("lon")
            )
        except geo.InvalidCoordinates as exc:
            return error(
                status.HTTP_400_BAD_REQUEST, exc.message_id, exc.message_en, field=exc.field
            )
        kelurahan = queries.kelurahan_for_point(lat, lon)
        if kelurahan is None:
            return error(
                status.HTTP_404_NOT_FOUND,
                "Titik ini berada di luar wilayah kelurahan Kota Bukittinggi.",
                "This point is outside the kelurahan of Kota Bukittinggi.",
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

    def get(self, request: Request) -> Response:
        return Response(queries.kelurahan_feature_collection())


def error(
    status_code: int, message_id: str, message_en: str, *, field: str | None = None
) -> Response:
    """The API's error body: Indonesian message first, English second, the field if one."""
    body: dict[str, Any] = {"message": message_id, "message_en": message_en}
    if field is not None:
        body = {"field": field, **body}
    return Response({"error": body}, status=status_code)
