"""URLs of the KLIK intake API, under /api/."""

from django.urls import URLPattern, path

from geo_klik.reports import api

urlpatterns: list[URLPattern] = [
    path("reports/", api.ReportIntakeView.as_view(), name="reports-intake"),
    path("reports/<str:tracking_code>/", api.PublicReportView.as_view(), name="reports-public"),
    path("categories/", api.CategoryListView.as_view(), name="categories"),
]
