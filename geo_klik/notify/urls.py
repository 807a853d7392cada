"""URLs of the notify app, under /api/."""

from django.urls import URLPattern, path

from geo_klik.notify import api

urlpatterns: list[URLPattern] = [
    path(
        "reports/<str:tracking_code>/notifications/",
        api.NotificationSettingsView.as_view(),
        name="reports-notifications",
    ),
    path(
        "reports/<str:tracking_code>/forget-contact/",
        api.ForgetContactView.as_view(),
        name="reports-forget-contact",
    ),
]
