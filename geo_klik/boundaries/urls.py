"""URLs under /api/boundaries/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
