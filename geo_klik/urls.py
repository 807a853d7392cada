"""Top-level URL map: each app owns its own urls module."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from geo_klik.lib import media

urlpatterns = [
    path("", include("geo_klik.maps.urls")),
    path("", include("geo_klik.ops.urls")),
    path("", include("geo_klik.residents.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/boundaries/", include("geo_klik.boundaries.urls")),
    path("api/", include("geo_klik.reports.urls")),
    path("api/", include("geo_klik.notify.urls")),
    path("api/", include("geo_klik.dispatch.urls")),
    path("open311/v2/", include("geo_klik.open311.urls")),
    # After v2/: "v2services.xml" (a client joining without a slash) and Open311 404s.
    re_path(r"^open311/", include("geo_klik.open311.fallback_urls")),
    path("akun/", include("geo_klik.accounts.urls")),
    path("api/staff/", include("geo_klik.control.api_urls")),
    path("control/", include("geo_klik.control.urls")),
    # Field officers' PWA and its API (one service worker scope).
    path("petugas/", include("geo_klik.field.urls")),
    path("", include("geo_klik.analytics.urls")),
    path("", include("geo_klik.community.urls")),
    path("", include("geo_klik.information.urls")),
    path("", include("geo_klik.business.urls")),
    path("", include("geo_klik.public_services.urls")),
    path("", include("geo_klik.search.urls")),
    path("", include("geo_klik.alerts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("media/<path:path>", media.serve, name="media"),
    # Before the admin: its pages of agencies and memberships moved, old addresses redirect.
    path("admin/", include("geo_klik.agencies.admin_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "geo_klik.lib.errors.page_not_found"
