"""Public read-only dispatch API (agencies, jurisdictions), under /api/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
