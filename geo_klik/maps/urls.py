"""URLs of the map pages."""

from django.urls import path

from geo_klik.maps import views

urlpatterns = [
    path("", views.home, name="home"),
]
