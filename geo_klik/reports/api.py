"""KLIK intake API: submit a report, list the categories (dispatch serves a report's view)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from geo_klik.boundaries import outside
from geo_klik.lib import errors, throttling
from geo_klik.reports import actions, contact, queries, serializers, submission
from geo_klik.reports.models import Report

# JSON and urlencoded forms carry no photos: 128 KiB is many times the largest valid body.
MAX_BODY_BYTES = 128 * 1024
# Multipart: three photos of 10 MB and the text fields.
MAX_MULTIPART_BYTES = 3 * 10 * 1024 * 1024 + 1024 * 1024

ERRORS = OpenApiResponse(errors.ErrorsSerializer, description="Bilingual error body.")


def intake_throttles(*, bucket: str) -> list[BaseThrottle]:
    """Anonymous writes, counted in their own bucket (see lib.throttling for why three limits).

    Per device at REPORTS_RATE_LIMIT_PER_DEVICE; every request per address at the much higher
    REPORTS_RATE_LIMIT_PER_ADDRESS (carrier-grade NAT); requests without a device id per
    address at REPORTS_RATE_LIMIT.
    """
    return [
        throttling.DeviceRateThrottle(
            scope=f"{bucket}-device", rate_setting="REPORTS_RATE_LIMIT_PER_DEVICE"
        ),
        throttling.FailOpenRateThrottle(
            scope=f"{bucket}-address", rate_setting="REPORTS_RATE_LIMIT_PER_ADDRESS"
        ),
        throttling.DevicelessRateThrottle(scope=bucket, rate_setting="REPORTS_RATE_LIMIT"),
    ]


class PublicView(APIView):
    """Anonymous: no session, no CSRF, no auth header parsing."""

    authentication_classes = ()
    permission_classes = ()


class ReportIntakeView(PublicView):
    """POST /api/reports/: accept one report, exactly once per Idempotency-Key."""

    http_method_names = ["post", "options"]

    def get_throttles(self) -> list[BaseThrottle]:
        return intake_throttles(bucket="reports") if self.request.method == "POST" else []

    @extend_schema(
        operation_id="reports_create",
        request={
            "application/json": submission.ReportSubmissionSerializer,
            "multipart/form-data": submission.ReportSubmissionSerializer,
        },
        parameters=[
            OpenApiParameter(
                submission.IDEMPOTENCY_HEADER,
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                description="Made by the client once per report; a retry with the same key "
                "and the same body returns the original report (200) instead of creating "
                "another; the same key with another body is refused (422).",
            ),
            OpenApiParameter(
                throttling.DEVICE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A random id the client keeps (16-64 of A-Z a-z 0-9 _ -): the "
                "rate limit counts per device; without it, a stricter limit per address.",
            ),
        ],
        responses={
            201: serializers.ReportReceiptSerializer,
            200: serializers.ReportReceiptSerializer,
            400: ERRORS,
            413: ERRORS,
            415: ERRORS,
            422: ERRORS,
            429: ERRORS,
            503: ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        refuse_oversize(request)
        key = submission.idempotency_key(request.headers.get(submission.IDEMPOTENCY_HEADER))
        files = uploaded_files(request)
        digest = submission.body_sha256(request.data, files) if key is not None else ""
        if key is not None and (existing := queries.report_by_idempotency_key(key)) is not None:
            try:
                actions.check_same_body(existing, digest)
            except actions.IdempotencyKeyReused:
                raise key_reused() from None
            secret = actions.reporter_secret_for(key)  # a retry that lost its 201 gets it again
            return receipt(request, existing, created=False, secret=secret)
        checked = submission.ReportSubmissionSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        secret = actions.reporter_secret_for(key)
        given = checked.validated_data.pop("notify", None)
        try:
            report, created = actions.create_report(
                **checked.validated_data,
                idempotency_key=key,
                body_sha256=digest,
                reporter_secret=secret,
                source=Report.Source.API,
            )
        except actions.OutsideCity:
            where = checked.validated_data
            raise outside_city(where["lat"], where["lon"]) from None
        except actions.IdempotencyKeyReused:
            raise key_reused() from None
        if created and given:
            contact.announce(report, given)
        return receipt(request, report, created=created, secret=secret)


def refuse_oversize(request: Request) -> None:
    """413 before reading a body larger than any valid submission."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    is_multipart = (request.content_type or "").startswith("multipart/")
    limit = MAX_MULTIPART_BYTES if is_multipart else MAX_BODY_BYTES
    if length > limit:
        raise errors.Invalid(
            [
                errors.Problem(
                    "body",
                    "too_large",
                    f"Isi permintaan melebihi {limit // 1024} KiB.",
                    f"The request body is larger than {limit // 1024} KiB.",
                )
            ],
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )


def key_reused() -> errors.Invalid:
    """422: the key names a report sent with another body (a client bug, never a retry)."""
    return errors.Invalid(
        [
            errors.Problem(
                submission.IDEMPOTENCY_HEADER,
                "key_reused",
                "Idempotency-Key ini sudah dipakai untuk laporan dengan isi yang berbeda; "
                "laporan ini TIDAK disimpan. Buat kunci baru untuk setiap laporan baru.",
                "This Idempotency-Key was already used for a report with a different body; "
                "this report was NOT stored. Make a new key for every new report.",
            )
        ],
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
    )


def uploaded_files(request: Request) -> dict[str, list[UploadedFile]]:
    files: Any = request.FILES
    return {name: list(files.getlist(name)) for name in files}


def outside_city(lat: float, lon: float) -> errors.Invalid:
    from django.conf import settings

    tolerance = f"{settings.ROUTING_TOLERANCE_M:g}"
    return errors.Invalid(  # issue 18: where the point is, and whom to contact there
        [
            outside.outside_problem(
                lat,
                lon,
                field="location",
                detail_id=f" (lebih dari {tolerance} m dari batas kota)",
                detail_en=f" (more than {tolerance} m from the city boundary)",
            )
        ]
    )


def receipt(request: Request, report: Report, *, created: bool, secret: str = "") -> Response:
    """201/200 with the receipt; the reporter secret only if it is this report's (a retry)."""
    context = {"request": request, "reporter_secret": secret if report.is_reporter(secret) else ""}
    data = serializers.ReportReceiptSerializer(report, context=context).data
    return Response(
        data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        headers={"Location": data["url"]},
    )


class CategoryListView(PublicView):
    """GET /api/categories/: what residents can report, with priorities and targets."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="categories_list",
        responses={200: serializers.CategorySerializer(many=True), 503: ERRORS},
    )
    def get(self, request: Request) -> Response:
        categories = queries.active_categories()
        return Response(serializers.CategorySerializer(categories, many=True).data)


def report_or_404(
    tracking_code: str, *, find: Callable[[str], Report | None] = queries.public_report
) -> Report:
    """The report a tracking code names (as ``find`` reads it), or the API's bilingual 404."""
    report = find(tracking_code)
    if report is None:
        raise not_found()
    return report


def not_found() -> errors.Invalid:
    """The API's bilingual 404 for a tracking code that names no report."""
    return errors.Invalid(
        [
            errors.Problem(
                "tracking_code",
                "not_found",
                "Tidak ada laporan dengan kode pelacakan ini.",
                "There is no report with this tracking code.",
            )
        ],
        status_code=status.HTTP_404_NOT_FOUND,
    )
