"""URLs under /open311/v2/: GeoReport v2 resources, the format chosen by the extension."""

from django.urls import URLPattern, path, re_path

from geo_klik.open311 import api

app_name = "open311"

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)"

urlpatterns: list[URLPattern] = [
    path("", api.root, name="root"),
    re_path(rf"^discovery{FORMAT}$", api.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}$", api.services, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+){FORMAT}$", api.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}$", api.service_requests, name="requests"),
    re_path(
        rf"^requests/(?P<request_id>[0-9A-Za-z]+){FORMAT}$", api.service_request, name="request"
    ),
]
