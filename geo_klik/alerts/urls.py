"""URLs of area alerts: the pages under /peringatan/ (``urlpatterns``) and the API (``api``)."""

from django.urls import URLPattern, path

from geo_klik.alerts import api as alerts_api
from geo_klik.alerts import views

urlpatterns: list[URLPattern] = [
    path("peringatan/", views.page, name="alerts-page"),
    path("peringatan/konfirmasi/<str:token>/", views.confirm_page, name="alerts-confirm"),
    path("peringatan/berhenti/<str:token>/", views.unsubscribe_page, name="alerts-unsubscribe"),
    path("api/alerts/", alerts_api.OptionsView.as_view(), name="alerts-options"),
    path(
        "api/alerts/subscriptions/",
        alerts_api.SubscriptionsView.as_view(),
        name="alerts-subscriptions",
    ),
    path(
        "api/alerts/subscriptions/<int:subscription_id>/",
        alerts_api.SubscriptionView.as_view(),
        name="alerts-subscription",
    ),
    path("api/alerts/confirm/", alerts_api.ConfirmView.as_view(), name="alerts-confirm-api"),
    path(
        "api/alerts/unsubscribe/",
        alerts_api.UnsubscribeView.as_view(),
        name="alerts-unsubscribe-api",
    ),
]
