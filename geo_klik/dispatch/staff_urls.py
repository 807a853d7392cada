"""The authenticated staff API (control room, SKPD offices, field units), under /api/staff/."""

from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = []
