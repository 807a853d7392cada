"""Bilingual API errors: one body shape for every 4xx/5xx the JSON API answers.

Every error body is ``{"errors": [{"field", "code", "message", "message_en"}]}``: ``field``
names what the client must fix (a body field, a header such as ``Idempotency-Key``, ``body``
for unparsable input, or null), ``message`` is in Bahasa Indonesia and ``message_en`` in
English. ``exception_handler`` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns DRF's exceptions,
Django's oversize-request errors and a database outage into this shape, so no client input
reaches a bare 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, said in Indonesian and English."""

    field: str | None
    code: str
    message: str
    message_en: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PlacedProblem(Problem):
    """A problem about a point, with where that point is (e.g. outside the city: which
    neighbouring kab/kota and desa, and whom to contact there). ``place`` is added to the
    problem's JSON; the other keys are those of every problem."""

    place: dict[str, Any] | None = None


class Invalid(exceptions.APIException):
    """The request is unacceptable for the listed reasons (400 unless told otherwise)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, problems: Iterable[Problem], *, status_code: int | None = None) -> None:
        self.problems = list(problems)
        super().__init__(detail=[p.message_en for p in self.problems])
        if status_code is not None:
            self.status_code = status_code


def invalid(field: str | None, code: str, message: str, message_en: str) -> Invalid:
    """An Invalid with one problem: ``raise errors.invalid("lat", "required", ...)``."""
    return Invalid([Problem(field, code, message, message_en)])


def body(problems: Iterable[Problem]) -> dict[str, Any]:
    return {"errors": [p.as_json() for p in problems]}


def response(
    problems: Iterable[Problem], status_code: int, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(body(problems), status=status_code, headers=dict(headers or {}))


def service_unavailable() -> tuple[dict[str, Any], dict[str, str]]:
    """Body and headers of the 503 a client gets while PostgreSQL is unreachable."""
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER_S
    problem = Problem(
        None,
        "database_unavailable",
        "Layanan sedang tidak tersedia: basis data tidak dapat dihubungi. Laporan Anda belum "
        f"tersimpan; simpan dan kirim ulang dalam {retry_after} detik dengan Idempotency-Key "
        "yang sama.",
        "The service is temporarily unavailable: the database cannot be reached. Your report "
        f"was not stored; keep it and retry in {retry_after} seconds with the same "
        "Idempotency-Key.",
    )
    return body([problem]), {"Retry-After": str(retry_after)}


# DRF and Django failures that are the client's doing, by exception class.
_REQUEST_PROBLEMS: list[tuple[type[Exception], int, Problem]] = [
    (
        RequestDataTooBig,
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        Problem(
            "body", "too_large", "Isi permintaan terlalu besar.", "The request body is too large."
        ),
    ),
    (
        TooManyFieldsSent,
        status.HTTP_400_BAD_REQUEST,
        Problem("body", "too_many_fields", "Terlalu banyak isian.", "Too many fields."),
    ),
    (
        SuspiciousOperation,  # includes TooManyFilesSent and malformed multipart headers
        status.HTTP_400_BAD_REQUEST,
        Problem(
            "body", "malformed", "Isi permintaan tidak valid.", "The request body is malformed."
        ),
    ),
]


# Every exception Django raises while parsing a body the client sent (MultiPartParserError is
# not a SuspiciousOperation; DRF turns it into a ParseError, i.e. "malformed").
CLIENT_REQUEST_ERRORS = (RequestDataTooBig, SuspiciousOperation, MultiPartParserError)


def request_problem(exc: Exception) -> tuple[int, Problem]:
    """Status and problem for one of CLIENT_REQUEST_ERRORS, as the API answers it."""
    for kind, status_code, problem in _REQUEST_PROBLEMS:
        if isinstance(exc, kind):
            return status_code, problem
    return status.HTTP_400_BAD_REQUEST, _REQUEST_PROBLEMS[-1][2]


def problems_for(exc: exceptions.APIException) -> list[Problem]:
    """The bilingual problems of a DRF exception raised outside geo_klik's own validation."""
    if isinstance(exc, Invalid):
        return exc.problems
    if isinstance(exc, exceptions.ParseError):
        return [
            Problem(
                "body",
                "malformed",
                "Isi permintaan tidak dapat dibaca: periksa format JSON atau multipart.",
                "The request body cannot be parsed: check the JSON or multipart format.",
            )
        ]
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return [
            Problem(
                "Content-Type",
                "unsupported_media_type",
                "Jenis isi tidak didukung; kirim application/json atau multipart/form-data.",
                "Unsupported content type; send application/json or multipart/form-data.",
            )
        ]
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        return [
            Problem(
                None,
                "throttled",
                f"Terlalu banyak laporan dari alamat ini. Coba lagi dalam {wait} detik.",
                f"Too many reports from this address. Try again in {wait} seconds.",
            )
        ]
    if isinstance(exc, exceptions.NotFound):
        return [Problem(None, "not_found", "Tidak ditemukan.", "Not found.")]
    if isinstance(exc, exceptions.MethodNotAllowed):
        return [
            Problem(None, "method_not_allowed", "Metode tidak diizinkan.", "Method not allowed.")
        ]
    if isinstance(exc, exceptions.NotAcceptable):
        return [
            Problem(
                "Accept",
                "not_acceptable",
                "Format jawaban yang diminta tidak tersedia.",
                "The requested response format is not available.",
            )
        ]
    if isinstance(exc, exceptions.ValidationError):
        return validation_problems(exc.detail)
    return [Problem(None, str(exc.default_code), str(exc.detail), str(exc.detail))]


def validation_problems(detail: Any, field: str | None = None) -> list[Problem]:
    """Flatten a DRF ValidationError detail (dict, list or string) into problems."""
    if isinstance(detail, Mapping):
        return [p for key, value in detail.items() for p in validation_problems(value, str(key))]
    if isinstance(detail, list):
        return [p for item in detail for p in validation_problems(item, field)]
    code = str(getattr(detail, "code", "invalid"))
    return [Problem(field, code, str(detail), str(detail))]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error in the bilingual shape."""
    if isinstance(exc, DATABASE_ERRORS):
        logger.error("database unreachable: %s", type(exc).__name__)
        data, headers = service_unavailable()
        return Response(data, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
    for kind, status_code, problem in _REQUEST_PROBLEMS:
        if isinstance(exc, kind):
            return response([problem], status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    drf_response = drf_exception_handler(exc, context)
    if drf_response is None or not isinstance(exc, exceptions.APIException):
        return drf_response
    drf_response.data = body(problems_for(exc))
    return drf_response


class ProblemSerializer(serializers.Serializer[Problem]):
    """One problem in an error body (documentation of the shape)."""

    field = serializers.CharField(allow_null=True, help_text="What to fix; null if nothing.")
    code = serializers.CharField()
    message = serializers.CharField(help_text="Bahasa Indonesia.")
    message_en = serializers.CharField(help_text="English.")


class ErrorsSerializer(serializers.Serializer[dict[str, Any]]):
    """Every error body of the JSON API."""

    errors = ProblemSerializer(many=True)  # type: ignore[assignment]  # DRF pops fields


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the bilingual JSON body under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        problem = Problem(None, "not_found", "Alamat API ini tidak ada.", "No such API address.")
        return JsonResponse(body([problem]), status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception or Http404())
