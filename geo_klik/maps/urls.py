"""URLs of the map pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
