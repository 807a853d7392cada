"""Resident follow-up API: nearby open reports, support, comments, rating and reopening.

Tracking codes are public (the map and ``nearby`` publish them), so a code only reads and
supports. Commenting, adding photos, rating and reopening are the reporter's: they need the
reporter secret given at submission, in the ``X-Reporter-Secret`` header (or a
``reporter_secret`` form field). Every error has the intake's bilingual shape
``{"errors": [{"field", "code", "message", "message_en"}]}``.
"""

from __future__ import annotations

import functools
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from geo_klik.lib import bbox, errors, throttling
from geo_klik.reports import actions, api, photos, queries, serializers, submission
from geo_klik.reports.models import Report

MAX_COMMENT = 2000
MAX_RATING_COMMENT = 1000
MAX_REASON = 1000
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

    @extend_schema(operation_id="reports_nearby", responses={200: dict, 400: api.ERRORS})
    def get(self, request: Request) -> Response:
        problems = submission.Problems()
        category = submission.parse_category(request.query_params.get("category"), problems)
        lat = submission.coordinate("lat", request.query_params.get("lat"), 90.0, problems)
        lon = submission.coordinate("lon", request.query_params.get("lon"), 180.0, problems)
        if problems or category is None or lat is None or lon is None:
            raise errors.Invalid(problems)
        reports = queries.open_reports_near(category, lat, lon)
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
        request=dict,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={201: dict, 403: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        api.refuse_oversize(request)
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        problems = submission.Problems()
        text = submission.text(
            body_of(request), "text", problems, max_length=MAX_COMMENT, required=True
        )
        uploads = api.uploaded_files(request)
        photo = None
        if problems:
            raise errors.Invalid(problems)
        files = uploads.get("photo", [])
        if len(files) > 1 or set(uploads) - {"photo"}:
            raise errors.invalid(
                "photo", "too_many", "Kirim satu foto saja.", "Send one photo only."
            )
        if files:
            try:
                content = photos.read_upload(files[0], size=files[0].size)
                photos.check_format(content)
                photo = photos.clean_photo(content)
            except photos.InvalidPhoto as exc:
                raise errors.invalid("photo", exc.code, exc.message_id, exc.message_en) from None
        event = actions.add_comment(report, text=text, photo=photo)
        return Response(
            {"id": event.pk, "created_at": event.created_at, "photo": photo is not None},
            status=status.HTTP_201_CREATED,
        )


class RatingView(FollowUpView):
    """POST /api/reports/<code>/rating/ {"stars": 1-5, "comment"}: after resolution."""

    @extend_schema(
        operation_id="reports_rate",
        request=dict,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={200: dict, 403: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        data = body_of(request)
        problems = submission.Problems()
        stars = parse_stars(data.get("stars"), problems)
        comment = submission.text(data, "comment", problems, max_length=MAX_RATING_COMMENT)
        if problems or stars is None:
            raise errors.Invalid(problems)
        try:
            rating = actions.rate_report(report, stars=stars, comment=comment)
        except actions.NotResolved:
            raise conflict(
                "not_resolved",
                "Penilaian bisa diberikan setelah laporan selesai ditangani.",
                "A rating can be given once the report is resolved.",
            ) from None
        return Response({"stars": rating.stars, "comment": rating.comment})


def parse_stars(raw: object, problems: submission.Problems) -> int | None:
    try:
        stars = int(str(raw)) if not isinstance(raw, bool | float) else None
    except ValueError:
        stars = None
    if stars is None or not 1 <= stars <= 5:
        problems.add(
            "stars",
            "invalid",
            "Pilih 1 sampai 5 bintang.",
            "Choose from 1 to 5 stars.",
        )
        return None
    return stars


class ReopenView(FollowUpView):
    """POST /api/reports/<code>/reopen/ {"reason"}: within 14 days of resolution."""

    @extend_schema(
        operation_id="reports_reopen",
        request=dict,
        parameters=[REPORTER_SECRET_PARAMETER],
        responses={200: dict, 403: api.ERRORS},
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        report = api.report_or_404(tracking_code)
        require_reporter(request, report)
        problems = submission.Problems()
        reason = submission.text(
            body_of(request), "reason", problems, max_length=MAX_REASON, required=True
        )
        if problems:
            raise errors.Invalid(problems)
        days = actions.REOPEN_WINDOW.days
        try:
            actions.reopen_report(report, reason=reason)
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
        return Response({"tracking_code": report.tracking_code, "status": status_label})


def map_filter(params: Any) -> queries.MapFilter:
    problems = submission.Problems()
    status_group = params.get("status") or None
    if status_group is not None and status_group not in queries.MAP_STATUS_GROUPS:
        problems.add(
            "status",
            "invalid",
            "status harus open atau resolved.",
            "status must be open or resolved.",
        )
    raw_days = params.get("days") or "30"
    days = int(raw_days) if raw_days.isdigit() and 1 <= int(raw_days) <= 365 else None
    if days is None:
        problems.add(
            "days",
            "invalid",
            "days harus bilangan bulat dari 1 sampai 365.",
            "days must be a whole number from 1 to 365.",
        )
    category = params.get("category") or None
    kelurahan = params.get("kelurahan") or None
    if category is not None and not queries.CATEGORY_CODE.fullmatch(category):
        problems.add("category", "unknown_category", "Kategori tidak dikenal.", "Unknown category.")
    if kelurahan is not None and not geo_code(kelurahan):
        problems.add(
            "kelurahan", "invalid", "Kode kelurahan tidak valid.", "Invalid kelurahan code."
        )
    viewport = parse_viewport(params.get(bbox.PARAM) or None, problems)
    if problems or days is None:
        raise errors.Invalid(problems)
    return queries.MapFilter(
        category=category,
        status_group=status_group,
        kelurahan_code=kelurahan,
        days=days,
        bbox=viewport,
    )


def parse_viewport(
    raw: str | None, problems: submission.Problems
) -> tuple[float, float, float, float] | None:
    """The project's ``in_bbox`` (``lib.bbox``) as (west, south, east, north); None if absent."""
    if raw is None:
        return None
    try:
        return _viewport(raw)
    except errors.Invalid as exc:
        problems.extend(exc.problems)
        return None


@functools.lru_cache(maxsize=4096)
def _viewport(raw: str) -> tuple[float, float, float, float]:
    # Remembered: a map surge asks for the same few viewports, and parsing builds a GEOS box.
    box = bbox.parse_bbox(raw)
    assert box is not None  # noqa: S101 (raw is not empty)
    west, south, east, north = box.extent
    return west, south, east, north


def geo_code(value: str) -> bool:
    """A Kemendagri code such as 13.75.01.1001."""
    return len(value) <= 20 and all(part.isdigit() for part in value.split("."))
