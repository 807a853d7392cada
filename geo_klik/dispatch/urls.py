"""Public read-only dispatch API (agencies, jurisdictions), under /api/."""

from django.urls import URLPattern, path

from geo_klik.dispatch import api

urlpatterns: list[URLPattern] = [
    path("agencies/", api.AgencyListView.as_view(), name="agencies"),
    path("jurisdictions/", api.JurisdictionListView.as_view(), name="jurisdictions"),
]
