"""URLs of the KLIK intake API, under /api/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
