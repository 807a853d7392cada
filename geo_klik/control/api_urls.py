"""The authenticated staff API (control room, SKPD offices, field units), under /api/staff/."""

from django.urls import URLPattern, path

from geo_klik.control import api, events, sent, units_api

STEP_NAMES = tuple(api.STEPS)

urlpatterns: list[URLPattern] = [
    path("auth/token/", api.TokenView.as_view(), name="staff-token"),
    path("reports/", api.QueueView.as_view(), name="staff-queue"),
    path("reports/<int:report_id>/", api.ReportDetailView.as_view(), name="staff-report"),
    path(
        "reports/<int:report_id>/unit-suggestions/",
        api.UnitSuggestionsView.as_view(),
        name="staff-unit-suggestions",
    ),
    path(
        "reports/<int:report_id>/duplicates/",
        api.DuplicatesView.as_view(),
        name="staff-duplicates",
    ),
    *(
        path(
            f"reports/<int:report_id>/{name}/",
            api.ReportStepView.as_view(step=name),
            name=f"staff-{name}",
        )
        for name in STEP_NAMES
    ),
    path(
        "reports/<int:report_id>/sent-to-reporter/",
        sent.SentToReporterView.as_view(),
        name="staff-sent-to-reporter",
    ),
    path("units/", api.UnitListView.as_view(), name="staff-units"),
    path("units/board/", units_api.UnitBoardView.as_view(), name="staff-unit-board"),
    path("units/tracks/", units_api.UnitTracksView.as_view(), name="staff-unit-tracks"),
    path("units/figures/", units_api.UnitFiguresView.as_view(), name="staff-unit-figures"),
    path("units/<int:unit_id>/", api.UnitUpdateView.as_view(), name="staff-unit"),
    path("notifications/", api.NotificationListView.as_view(), name="staff-notifications"),
    path("events/", events.stream, name="staff-events"),
    path("stats/", api.StatsView.as_view(), name="staff-stats"),
    path("audit/", api.AuditLogView.as_view(), name="staff-audit"),
]
