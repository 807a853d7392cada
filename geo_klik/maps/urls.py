"""URLs of the map pages and the GeoJSON they load."""

from django.urls import path

from geo_klik.maps import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "maps/kelurahan-outlines.geojson",
        feeds.kelurahan_outlines,
        name="maps-kelurahan-outlines",
    ),
    path("api/map/reports.geojson", feeds.MapFeedView.as_view(), name="reports-map-feed"),
]
