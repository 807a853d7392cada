"""The authenticated staff API (control room, SKPD offices, field units), under /api/staff/."""

from django.urls import URLPattern, path

from geo_klik.dispatch import api_staff, events

STEP_NAMES = tuple(api_staff.STEPS)

urlpatterns: list[URLPattern] = [
    path("auth/token/", api_staff.TokenView.as_view(), name="staff-token"),
    path("reports/", api_staff.QueueView.as_view(), name="staff-queue"),
    path("reports/<int:report_id>/", api_staff.ReportDetailView.as_view(), name="staff-report"),
    path(
        "reports/<int:report_id>/unit-suggestions/",
        api_staff.UnitSuggestionsView.as_view(),
        name="staff-unit-suggestions",
    ),
    path(
        "reports/<int:report_id>/duplicates/",
        api_staff.DuplicatesView.as_view(),
        name="staff-duplicates",
    ),
    *(
        path(
            f"reports/<int:report_id>/{name}/",
            api_staff.ReportStepView.as_view(step=name),
            name=f"staff-{name}",
        )
        for name in STEP_NAMES
    ),
    path("units/", api_staff.UnitListView.as_view(), name="staff-units"),
    path("units/<int:unit_id>/", api_staff.UnitUpdateView.as_view(), name="staff-unit"),
    path("notifications/", api_staff.NotificationListView.as_view(), name="staff-notifications"),
    path("events/", events.stream, name="staff-events"),
    path("stats/", api_staff.StatsView.as_view(), name="staff-stats"),
    path("audit/", api_staff.AuditLogView.as_view(), name="staff-audit"),
]
