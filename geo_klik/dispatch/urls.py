"""Public read-only dispatch API (agencies, jurisdictions, a report's view), under /api/."""

from django.urls import URLPattern, path

from geo_klik.dispatch import api

urlpatterns: list[URLPattern] = [
    path("agencies/", api.AgencyListView.as_view(), name="agencies"),
    path("jurisdictions/", api.JurisdictionListView.as_view(), name="jurisdictions"),
    # After reports' own reports/... addresses (reports/nearby/ is no tracking code).
    path("reports/<str:tracking_code>/", api.PublicReportView.as_view(), name="reports-public"),
]
