"""The staff API under /api/staff/: queue, report workflow, field units, notifications, stats.

Authenticated by session (the console, with CSRF) or token (a field unit's phone:
``Authorization: Token ...`` from ``POST /api/staff/auth/token/``). Every view declares the
roles it allows; a report or unit of another agency answers 404, never its data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.accounts import actions as accounts_actions
from geo_klik.accounts import login_guard, permissions, roles
from geo_klik.accounts.authentication import ExpiringTokenAuthentication
from geo_klik.accounts.models import AuditLog
from geo_klik.control import checks
from geo_klik.control import serializers as shapes
from geo_klik.dispatch import queries
from geo_klik.dispatch.actions import units, workflow
from geo_klik.dispatch.models import Assignment, Notification
from geo_klik.lib import coalesce, errors
from geo_klik.lib.checks import CheckedSerializer
from geo_klik.reports.models import Report

QUEUE_LIMIT = 500


class StaffView(APIView):
    """Base of every staff endpoint: authentication, role check, bilingual refusals."""

    authentication_classes = (SessionAuthentication, ExpiringTokenAuthentication)
    permission_classes = (permissions.HasRole,)
    allowed_roles: frozenset[str] = roles.WORKING

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        raise permissions.refusal(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, workflow.WorkflowError):
            exc = errors.Invalid(
                [errors.Problem(exc.field, exc.code, exc.message_id, exc.message_en)],
                status_code=exc.status_code,
            )
        return super().handle_exception(exc)

    def address(self) -> str:
        return login_guard.client_address(self.request._request)


def visible_report(request: Request, report_id: int) -> Report:
    report = (
        queries.reports_visible_to(request.user)
        .select_related("category", "kelurahan", "handling", "handling__claimed_by")
        .defer("kelurahan__boundary", "kelurahan__label_point")  # only its name is shown
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise errors.Invalid(
            [errors.Problem(None, "not_found", "Laporan tidak ditemukan.", "Report not found.")],
            status_code=404,
        )
    return report


queue_reads = coalesce.Rounds()


class QueueView(StaffView):
    """GET: open reports the user may see, by priority then age, with SLA deadlines."""

    def get(self, request: Request) -> HttpResponse:
        user = request.user

        def body() -> bytes:
            reports = queries.queue_for(user).prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.filter(active=True).select_related("agency"),
                    to_attr="active_assignments",
                )
            )[:QUEUE_LIMIT]
            rows = [shapes.queue_row(r) for r in reports]
            return bytes(JSONRenderer().render({"results": rows}))

        # Consoles told of the same change re-read at once: those who see the same reports (and
        # read the same language) share one read, and its JSON, that started after they asked.
        key = (queries.visibility_of(user), get_language())
        return HttpResponse(queue_reads.run(key, body), content_type="application/json")


class ReportDetailView(StaffView):
    def get(self, request: Request, report_id: int) -> Response:
        return Response(shapes.report_detail(visible_report(request, report_id)))


def checked(serializer_class: type[CheckedSerializer], request: Request) -> dict[str, Any]:
    """The request's body, checked: its values, or the bilingual 400 (``errors.Invalid``)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def checked_query(serializer_class: type[CheckedSerializer], request: Request) -> Any:
    """The request's query parameters, checked like a body."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@dataclass(frozen=True)
class StepSpec:
    """A workflow step: what its body holds (None: it reads no body) and how it is taken.

    The body's checked values are the step's keyword arguments (a field's ``source`` names
    the argument when the body's key differs: ``units`` is ``unit_ids``).
    """

    input: type[CheckedSerializer] | None
    take: Callable[..., workflow.Step]  # (report_id, *, user, address, **checked values)


STEPS: dict[str, StepSpec] = {
    "acknowledge": StepSpec(None, workflow.acknowledge),
    "dispatch": StepSpec(checks.StaffDispatchInput, workflow.assign_units),
    "arrive": StepSpec(None, workflow.arrive),
    "resolve": StepSpec(checks.StaffResolveInput, workflow.resolve),
    "close": StepSpec(checks.StaffNoteInput, workflow.close),
    "reject": StepSpec(checks.StaffReasonInput, workflow.reject),
    "transfer": StepSpec(checks.StaffTransferInput, workflow.transfer),
    "merge": StepSpec(checks.StaffMergeInput, workflow.merge),
}

ERRORS = OpenApiResponse(errors.ErrorsSerializer, description="Bilingual error body.")
REFUSALS = {400: ERRORS, 401: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS, 413: ERRORS}


class ReportStepView(StaffView):
    """POST /api/staff/reports/<id>/<step>/: one workflow step; answers the report's detail."""

    step = ""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        """The step's body (the OpenAPI schema reads it here)."""
        return STEPS[self.step].input or checks.StaffNoInput

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **REFUSALS})
    def post(self, request: Request, report_id: int) -> Response:
        spec = STEPS[self.step]
        values = checked(spec.input, request) if spec.input else {}
        step = spec.take(report_id, user=request.user, address=self.address(), **values)
        if not queries.reports_visible_to(request.user).filter(pk=step.report.pk).exists():
            # Transferred away from the user's agency: it is no longer theirs to read.
            return Response({"id": step.report.pk, "status": step.report.status})
        return Response(shapes.report_detail(visible_report(request, step.report.pk)))


class UnitSuggestionsView(StaffView):
    """GET: the nearest available units of the report's assigned agencies."""

    def get(self, request: Request, report_id: int) -> Response:
        report = visible_report(request, report_id)
        agency_ids = list(
            report.assignments.filter(active=True).values_list("agency_id", flat=True)
        )
        found = queries.nearest_available_units(report.location, agency_ids=agency_ids)
        return Response({"results": [shapes.suggestion(s) for s in found]})


class DuplicatesView(StaffView):
    """GET: open reports of the same category within 250 m (merge candidates)."""

    def get(self, request: Request, report_id: int) -> Response:
        report = visible_report(request, report_id)
        found = queries.duplicate_candidates(report, user=request.user)
        return Response({"results": [shapes.queue_row(r) for r in found]})


class UnitListView(StaffView):
    def get(self, request: Request) -> Response:
        return Response(
            {"results": [shapes.unit(u) for u in queries.units_visible_to(request.user)]}
        )


class UnitUpdateView(StaffView):
    """POST/PATCH: a phone reports its unit's position (lat, lon, accuracy_m) and/or status."""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return checks.StaffUnitUpdateInput

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **REFUSALS})
    def post(self, request: Request, unit_id: int) -> Response:
        row = units.update_unit(
            unit_id,
            user=request.user,
            address=self.address(),
            **checked(checks.StaffUnitUpdateInput, request),
        )
        return Response(shapes.unit(row))

    patch = post


class NotificationListView(StaffView):
    """GET: notifications not delivered (failed, or still retrying): visible on the console."""

    def get(self, request: Request) -> Response:
        rows: QuerySet[Notification] = Notification.objects.exclude(
            state=Notification.State.SENT
        ).select_related("agency")
        if not roles.is_city_wide(request.user):
            rows = rows.filter(agency_id=roles.agency_id_of(request.user) or 0)
        return Response({"results": [shapes.notification(n) for n in rows[:200]]})


class StatsView(StaffView):
    """GET: city-wide aggregates for planners and supervisors; no report, no personal data."""

    allowed_roles = frozenset({roles.PLANNER, roles.SUPERVISOR, roles.ADMIN})

    def get(self, request: Request) -> Response:
        return Response(queries.city_stats())


class AuditLogView(StaffView):
    """GET: the latest audit entries (supervisors and admins), ``?object_id=`` to filter."""

    allowed_roles = frozenset({roles.SUPERVISOR, roles.ADMIN})

    @extend_schema(
        parameters=[checks.StaffAuditQuery], responses={200: OpenApiTypes.OBJECT, **REFUSALS}
    )
    def get(self, request: Request) -> Response:
        rows = AuditLog.objects.select_related("agency")
        if object_id := checked_query(checks.StaffAuditQuery, request)["object_id"]:
            rows = rows.filter(object_id=object_id[:40])
        return Response(
            {
                "results": [
                    {
                        "at": e.at.isoformat(),
                        "actor": e.actor_username,
                        "action": e.action,
                        "object_type": e.object_type,
                        "object_id": e.object_id,
                        "agency": e.agency.code if e.agency else None,
                        "before": e.before,
                        "after": e.after,
                        "note": e.note,
                    }
                    for e in rows[:200]
                ]
            }
        )


class TokenView(APIView):
    """POST username and password: an API token for a staff phone (login guard applies)."""

    authentication_classes = ()
    permission_classes = ()

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return checks.StaffTokenInput

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 401: ERRORS, 429: ERRORS})
    def post(self, request: Request) -> Response:
        given = checked(checks.StaffTokenInput, request)
        username, password = given["username"], given["password"]
        try:
            user = login_guard.authenticate(request._request, username, password)
        except login_guard.LoginRefused as refused:
            return errors.response(
                [errors.Problem(None, "locked", refused.message_id, refused.message_en)],
                429,
                {"Retry-After": str(refused.retry_after_s)},
            )
        if user is None or not roles.roles_of(user) & roles.WORKING:
            raise errors.Invalid(
                [
                    errors.Problem(
                        None,
                        "invalid_login",
                        "Nama pengguna atau kata sandi salah.",
                        "Wrong username or password.",
                    )
                ],
                status_code=401,
            )
        token = accounts_actions.issue_api_token(user)
        return Response({"token": token.key})
