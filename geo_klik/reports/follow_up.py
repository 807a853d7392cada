"""Resident follow-up API: nearby open reports, support, comments, rating and reopening.

Tracking codes are public (the map and ``nearby`` publish them), so a code only reads and
supports. Commenting, adding photos, rating, answering "is it fixed?" (``reopen/``: not fixed,
``fixed/``: fixed) and withdrawing an unrouted report are the reporter's: they need the
reporter secret given at submission (or a notification's link token), in the
``X-Reporter-Secret`` header (or a ``reporter_secret`` form field). Every error has the
intake's bilingual shape ``{"errors": [{"field", "code", "message", "message_en"}]}``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from geo_klik.lib import errors, throttling
from geo_klik.reports import (
    actions,
    api,
    follow_up_serializers,
    queries,
    serializers,
    submission,
)
from geo_klik.reports.models import Report

REPORTER_SECRET_HEADER = "X-Reporter-Secret"  # noqa: S105 (a header name, not a secret)
REPORTER_SECRET_PARAMETER = OpenApiParameter(
    REPORTER_SECRET_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The reporter secret of the 201 receipt (or a reporter_secret form field); "
    "without it: 403.",
)


class FollowUpView(api.PublicView):
    http_method_names = ["post", "options"]

    def get_throttles(self) -> list[BaseThrottle]:
        # Comments, support, ratings and reopening: the intake's limits, in their own bucket.
        if self.request.method != "POST":
            return []
        return api.intake_throttles(bucket="reports-follow-up")


def conflict(code: str, message: str, message_en: str) -> errors.Invalid:
    return errors.Invalid(
        [errors.Problem(None, code, message, message_en)], status_code=status.HTTP_409_CONFLICT
    )


def require_reporter(request: Request, report: Report) -> None:
    """403 unless the request carries this report's reporter secret."""
    if not report.has_reporter_secret:
        raise errors.Invalid(
            [
                errors.Problem(
                    REPORTER_SECRET_HEADER,
                    "reporter_unknown",
                    "Laporan ini dibuat sebelum ada kode rahasia pelapor, jadi tidak bisa "
                    "dinilai, dibuka kembali atau dikomentari secara daring; hubungi "
                    "Command Center.",
                    "This report was made before reporter secrets existed, so it cannot be "
                    "rated, reopened or commented on online; contact the Command Center.",
                )
            ],
            status_code=status.HTTP_403_FORBIDDEN,
        )
    if not report.is_reporter(reporter_secret_of(request)):
        raise errors.Invalid(
            [
                errors.Problem(
                    REPORTER_SECRET_HEADER,
                    "not_reporter",
                    "Hanya pelapor yang bisa melakukan ini: buka laporan dari tautan atau "
                    "perangkat yang dipakai untuk mengirimnya.",
                    "Only the reporter can do this: open the report from the link or the "
                    "device that sent it.",
                )
            ],
            status_code=status.HTTP_403_FORBIDDEN,
        )


def reporter_secret_of(request: Request) -> object:
    """The secret from the header, else from a ``reporter_secret`` form or JSON field."""
    header = request.headers.get(REPORTER_SECRET_HEADER)
    if header:
        return header
    data = request.data
    return data.get("reporter_secret") if hasattr(data, "get") else None


def body_of(request: Request) -> Any:
    data = request.data
    if not hasattr(data, "get"):
        raise errors.invalid(
            "body",
            "not_an_object",
            "Isi permintaan harus berupa objek JSON atau formulir.",
            "The request body must be a JSON object or a form.",
        )
    return data


class NearbyView(api.PublicView):
    """GET /api/reports/nearby/?category=&lat=&lon=: open reports of a category within 250 m."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="reports_nearby",
        parameters=[follow_up_serializers.NearbySerializer],
        responses={200: dict, 400: api.ERRORS},
    )
    def get(self, request: Request) -> Response:
        checked = follow_up_serializers.NearbySerializer(data=request.query_params)
        checked.is_valid(raise_exception=True)
        reports = queries.open_reports_near(**checked.validated_data)
        return Response(
            {
                "radius_m": queries.DUPLICATE_RADIUS_M,
                "reports": [serializers.nearby_json(r, request) for r in reports],
            }
        )


class SupportView(FollowUpView):
    """POST /api/reports/<code>/support/ {"supporter_key": uuid}: "I have this problem too"."""

    @extend_schema(operation_id="reports_support", request=dict, responses={200: dict})
    def post(self, request: Request, tracking_code: str) -> Response:
        report = api.report_or_404(tracking_code)
        raw = body_of(request).get("supporter_key")
        try:
            key = submission.idempotency_key(raw if isinstance(raw, str) else None)
        except errors.Invalid:
            key = None
        if key is None:
            raise errors.invalid(
                "supporter_key",
                "invalid",
                "supporter_key harus berupa UUID.",
                "supporter_key must be a UUID.",
            )
        try:
            created = actions.support_report(
                report, supporter_key=key, address=throttling.client_address(request)
            )
        except actions.NotOpen:
            raise conflict(
                "not_open",
                "Laporan ini sudah tidak terbuka; dukungan tidak diperlukan lagi.",
                "This report is no longer open; support is not needed any more.",
            ) from None
        count = report.supports.count()
        return Response(
            {"tracking_code": report.tracking_code, "supporters": count, "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CommentView(FollowUpView):
    """POST /api/reports/<code>/comments/: a comment, with one optional photo (multipart)."""

    @extend_schema(
        operation_id="reports_comment",
        request=follow_up_serializers.CommentSerializer,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={201: dict, 403: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        api.refuse_oversize(request)
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        checked = follow_up_serializers.CommentSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        event = actions.add_comment(report, **checked.validated_data)
        return Response(
            {
                "id": event.pk,
                "created_at": event.created_at,
                "photo": checked.validated_data["photo"] is not None,
            },
            status=status.HTTP_201_CREATED,
        )


class RatingView(FollowUpView):
    """POST /api/reports/<code>/rating/ {"stars": 1-5, "comment"}: after resolution."""

    @extend_schema(
        operation_id="reports_rate",
        request=follow_up_serializers.RatingSerializer,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={200: dict, 403: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        checked = follow_up_serializers.RatingSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        try:
            rating = actions.rate_report(report, **checked.validated_data)
        except actions.NotResolved:
            raise conflict(
                "not_resolved",
                "Penilaian bisa diberikan setelah laporan selesai ditangani.",
                "A rating can be given once the report is resolved.",
            ) from None
        return Response({"stars": rating.stars, "comment": rating.comment})


class ReopenView(FollowUpView):
    """POST /api/reports/<code>/reopen/ {"reason"} (+ one photo, multipart): "not fixed".

    Within 14 days of resolution. The first reopens the report; a later one sends it to the
    Command Center's triage instead (``escalated`` in the answer).
    """

    @extend_schema(
        operation_id="reports_reopen",
        request=follow_up_serializers.ReopenSerializer,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={200: dict, 403: api.ERRORS, 409: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        api.refuse_oversize(request)
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        checked = follow_up_serializers.ReopenSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        days = actions.REOPEN_WINDOW.days
        try:
            event = actions.reopen_report(report, **checked.validated_data)
        except actions.NotResolved:
            raise conflict(
                "not_resolved",
                "Hanya laporan yang sudah selesai yang bisa dibuka kembali.",
                "Only a resolved report can be reopened.",
            ) from None
        except actions.ReopenWindowClosed:
            raise conflict(
                "reopen_window_closed",
                f"Laporan hanya bisa dibuka kembali dalam {days} hari setelah selesai; "
                "silakan buat laporan baru.",
                f"A report can only be reopened within {days} days of its resolution; "
                "please file a new report.",
            ) from None
        status_label = serializers.StatusField().to_representation(report.status)
        return Response(
            {
                "tracking_code": report.tracking_code,
                "status": status_label,
                "escalated": event.status_to == Report.Status.TRIAGE,
            }
        )


class FixedView(FollowUpView):
    """POST /api/reports/<code>/fixed/: the reporter says "fixed"; the report is closed."""

    @extend_schema(
        operation_id="reports_fixed",
        request=None,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={200: dict, 403: api.ERRORS, 409: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        try:
            actions.confirm_fixed(report)
        except actions.NotResolved:
            raise conflict(
                "not_resolved",
                "Hanya laporan yang sudah selesai yang bisa dikonfirmasi beres.",
                "Only a resolved report can be confirmed as fixed.",
            ) from None
        status_label = serializers.StatusField().to_representation(report.status)
        return Response({"tracking_code": report.tracking_code, "status": status_label})


class WithdrawView(FollowUpView):
    """POST /api/reports/<code>/withdraw/ {"confirm": true}: delete the report while unrouted."""

    @extend_schema(
        operation_id="reports_withdraw",
        request=follow_up_serializers.ConfirmSerializer,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={204: None, 400: api.ERRORS, 403: api.ERRORS, 409: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        follow_up_serializers.ConfirmSerializer(data=body_of(request)).is_valid(
            raise_exception=True
        )
        try:
            actions.withdraw_report(report)
        except actions.AlreadyRouted:
            raise conflict(
                "already_routed",
                "Laporan ini sudah diteruskan ke petugas, jadi tidak bisa dihapus lagi. Anda "
                "masih bisa menghapus data kontak Anda.",
                "This report has already been passed to an agency, so it can no longer be "
                "deleted. You can still delete your contact details.",
            ) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def map_filter(params: Any) -> queries.MapFilter:
    checked = follow_up_serializers.MapFilterSerializer(data=params)
    checked.is_valid(raise_exception=True)
    return queries.MapFilter(**checked.validated_data)
