"""URLs under /open311/v2/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
