"""URLs under /open311/v2/: GeoReport v2 resources, the format chosen by the extension.

Tolerant of how clients join the endpoint and the resource: ``/open311/v2/services.xml``,
``/open311/v2//services.xml`` (a client that adds a slash to an endpoint ending in one) and,
through ``fallback_urls``, ``/open311/v2services.xml`` (one that adds none to an endpoint
configured without its slash). Anything else under /open311/ is an Open311 error, never a page.
"""

from django.urls import URLPattern, re_path

from geo_klik.open311 import api

app_name = "open311"

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)"
# Any number of extra slashes before a resource; reverse() writes none.
SLASHES = r"^(?:/*)"

urlpatterns: list[URLPattern] = [
    re_path(rf"{SLASHES}$", api.root, name="root"),
    re_path(rf"{SLASHES}discovery{FORMAT}$", api.discovery, name="discovery"),
    re_path(rf"{SLASHES}services{FORMAT}$", api.services, name="services"),
    re_path(
        rf"{SLASHES}services/(?P<code>[-\w]+){FORMAT}$", api.service_definition, name="service"
    ),
    re_path(rf"{SLASHES}requests{FORMAT}$", api.service_requests, name="requests"),
    re_path(
        rf"{SLASHES}requests/(?P<request_id>[0-9A-Za-z]+){FORMAT}$",
        api.service_request,
        name="request",
    ),
    re_path(
        rf"{SLASHES}servicerequestupdates{FORMAT}$",
        api.service_request_updates,
        name="updates",
    ),
    re_path(r"^.*$", api.not_found, name="not_found"),
]
