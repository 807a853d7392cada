"""The residents' pages: report (/lapor/), track (/lacak/<code>/), public map (/peta/)."""

from django.urls import path

from geo_klik.residents import views

urlpatterns = [
    path("lapor/", views.report_page, name="residents-report"),
    path("lacak/", views.track_lookup, name="residents-track-lookup"),
    path("lacak/<str:tracking_code>/", views.track_page, name="residents-track"),
    path("peta/", views.public_map_page, name="residents-map"),
    path("privasi/", views.privacy_page, name="residents-privacy"),
    # At the root so that its scope covers every page above.
    path("sw.js", views.service_worker, name="residents-service-worker"),
]
