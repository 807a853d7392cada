"""The control-room console, under /control/."""

from django.urls import URLPattern, path

from geo_klik.control import views

app_name = "control"
urlpatterns: list[URLPattern] = [path("", views.console, name="console")]
