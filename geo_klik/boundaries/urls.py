"""URLs under /api/boundaries/ (no trailing slash on lookup: it is an API, not a page)."""

from django.urls import URLPattern, path

from geo_klik.boundaries import api

urlpatterns: list[URLPattern] = [
    path("lookup", api.LookupView.as_view(), name="boundaries-lookup"),
    path(
        "kelurahan.geojson", api.KelurahanGeoJSONView.as_view(), name="boundaries-kelurahan-geojson"
    ),
]
