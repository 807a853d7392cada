"""The field officers' app and its API, under /petugas/ (one service worker scope)."""

from django.urls import URLPattern, path

from geo_klik.field import api, views

urlpatterns: list[URLPattern] = [
    path("", views.app, name="field-app"),
    path("manifest.webmanifest", views.manifest, name="field-manifest"),
    path("sw.js", views.service_worker, name="field-service-worker"),
    path("api/me/", api.MeView.as_view(), name="field-me"),
    path("api/duty/start/", api.DutyStartView.as_view(), name="field-duty-start"),
    path("api/duty/end/", api.DutyEndView.as_view(), name="field-duty-end"),
    path("api/inbox/", api.InboxView.as_view(), name="field-inbox"),
    path("api/incidents/<int:report_id>/", api.IncidentView.as_view(), name="field-incident"),
    *(
        path(
            f"api/incidents/<int:report_id>/{name}/",
            api.StepView.as_view(step=name),
            name=f"field-{name}",
        )
        for name in api.STEPS
    ),
    path("api/position/", api.PositionView.as_view(), name="field-position"),
    path("api/push/", api.PushView.as_view(), name="field-push"),
]
