"""URLs of the KLIK API, under /api/: intake, resident follow-up, public map.

A report's public view (/api/reports/<tracking_code>/) shows its routing: dispatch serves it.
"""

from django.urls import URLPattern, path

from geo_klik.reports import api, follow_up

urlpatterns: list[URLPattern] = [
    path("reports/", api.ReportIntakeView.as_view(), name="reports-intake"),
    # Before <tracking_code>: "nearby" is no tracking code (those are 10 characters).
    path("reports/nearby/", follow_up.NearbyView.as_view(), name="reports-nearby"),
    path(
        "reports/<str:tracking_code>/support/",
        follow_up.SupportView.as_view(),
        name="reports-support",
    ),
    path(
        "reports/<str:tracking_code>/comments/",
        follow_up.CommentView.as_view(),
        name="reports-comments",
    ),
    path(
        "reports/<str:tracking_code>/rating/", follow_up.RatingView.as_view(), name="reports-rating"
    ),
    path(
        "reports/<str:tracking_code>/reopen/", follow_up.ReopenView.as_view(), name="reports-reopen"
    ),
    path("reports/<str:tracking_code>/fixed/", follow_up.FixedView.as_view(), name="reports-fixed"),
    path(
        "reports/<str:tracking_code>/withdraw/",
        follow_up.WithdrawView.as_view(),
        name="reports-withdraw",
    ),
    path("categories/", api.CategoryListView.as_view(), name="categories"),
]
