"""The staff API under /api/staff/: queue, report workflow, field units, notifications, stats.

Authenticated by session (the console, with CSRF) or token (a field unit's phone:
``Authorization: Token ...`` from ``POST /api/staff/auth/token/``). Every view declares the
roles it allows; a report or unit of another agency answers 404, never its data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils.translation import get_language
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.accounts import actions as accounts_actions
from geo_klik.accounts import login_guard, permissions, roles
from geo_klik.accounts.authentication import ExpiringTokenAuthentication
from geo_klik.accounts.models import AuditLog
from geo_klik.agencies.models import Agency
from geo_klik.control import serializers as shapes
from geo_klik.dispatch import queries
from geo_klik.dispatch.actions import units, workflow
from geo_klik.dispatch.models import Assignment, Notification
from geo_klik.lib import coalesce, errors, geo
from geo_klik.reports import photos
from geo_klik.reports.models import Report

QUEUE_LIMIT = 500


def problem(field: str | None, code: str, message_id: str, message_en: str) -> errors.Invalid:
    return errors.invalid(field, code, message_id, message_en)


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


def _text(request: Request, name: str) -> str:
    value = request.data.get(name, "")
    return value if isinstance(value, str) else ""


def _agency(request: Request) -> Agency:
    raw = request.data.get("agency")
    agency = Agency.objects.filter(code=str(raw)).first() if raw else None
    if agency is None:
        raise problem("agency", "invalid", "SKPD tujuan tidak dikenal.", "Unknown target agency.")
    return agency


def _ids(request: Request, name: str) -> list[int]:
    raw = request.data.get(name)
    if hasattr(request.data, "getlist"):
        raw = request.data.getlist(name) or raw
    items = raw if isinstance(raw, list) else [raw]
    try:
        return [int(x) for x in items if x not in (None, "")]
    except (TypeError, ValueError):
        raise problem(name, "invalid", f"{name} harus berupa id.", f"{name} must be ids.") from None


def _photo(request: Request) -> Any:
    upload = request.FILES.get("photo")
    if upload is None:
        return None
    try:
        return photos.clean_photo(photos.read_upload(upload, size=upload.size))
    except photos.InvalidPhoto as exc:
        raise problem("photo", exc.code, exc.message_id, exc.message_en) from None


Step = Callable[[StaffView, Request, int], workflow.Step]

STEPS: dict[str, Step] = {
    "acknowledge": lambda v, r, pk: workflow.acknowledge(pk, user=r.user, address=v.address()),
    "dispatch": lambda v, r, pk: workflow.assign_units(
        pk, user=r.user, unit_ids=_ids(r, "units"), address=v.address()
    ),
    "arrive": lambda v, r, pk: workflow.arrive(pk, user=r.user, address=v.address()),
    "resolve": lambda v, r, pk: workflow.resolve(
        pk, user=r.user, note=_text(r, "note"), photo=_photo(r), address=v.address()
    ),
    "close": lambda v, r, pk: workflow.close(
        pk, user=r.user, note=_text(r, "note"), address=v.address()
    ),
    "reject": lambda v, r, pk: workflow.reject(
        pk, user=r.user, reason=_text(r, "reason"), address=v.address()
    ),
    "transfer": lambda v, r, pk: workflow.transfer(
        pk, user=r.user, agency=_agency(r), reason=_text(r, "reason"), address=v.address()
    ),
    "merge": lambda v, r, pk: workflow.merge(
        pk,
        user=r.user,
        into_id=(_ids(r, "into") or [0])[0],
        note=_text(r, "note"),
        address=v.address(),
    ),
}


class ReportStepView(StaffView):
    """POST /api/staff/reports/<id>/<step>/: one workflow step; answers the report's detail."""

    step = ""

    def post(self, request: Request, report_id: int) -> Response:
        step = STEPS[self.step](self, request, report_id)
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

    def post(self, request: Request, unit_id: int) -> Response:
        lat = lon = accuracy = None
        if "lat" in request.data or "lon" in request.data:
            try:
                lat, lon = geo.parse_lat_lon(request.data.get("lat"), request.data.get("lon"))
            except geo.InvalidCoordinates as exc:
                raise problem(exc.field, "invalid", exc.message_id, exc.message_en) from None
            accuracy = _accuracy(request.data.get("accuracy_m"))
        status = request.data.get("status")
        if lat is None and status is None:
            raise problem(
                None,
                "invalid",
                "Kirim posisi (lat, lon) atau status.",
                "Send a position (lat, lon) or a status.",
            )
        row = units.update_unit(
            unit_id,
            user=request.user,
            lat=lat,
            lon=lon,
            accuracy_m=accuracy,
            status=None if status is None else str(status),
            address=self.address(),
        )
        return Response(shapes.unit(row))

    patch = post


def _accuracy(raw: Any) -> float | None:
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1.0
    if not 0 <= value <= 100_000:
        raise problem(
            "accuracy_m", "invalid", "accuracy_m harus angka meter.", "accuracy_m must be metres."
        )
    return value


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

    def get(self, request: Request) -> Response:
        rows = AuditLog.objects.select_related("agency")
        if object_id := request.query_params.get("object_id"):
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

    def post(self, request: Request) -> Response:
        username, password = _text(request, "username"), _text(request, "password")
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
