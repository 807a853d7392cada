"""Operational endpoints."""

from django.urls import path

from geo_klik.ops import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
