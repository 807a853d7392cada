"""URLs of the public_services app (pages and its GeoJSON/JSON API)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
