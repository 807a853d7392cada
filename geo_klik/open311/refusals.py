"""Open311's shape of the refusals that middleware answers before any Open311 view runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from geo_klik.lib import errors
from geo_klik.open311 import formats


def refusal(request: HttpRequest, status: int, problem: errors.Problem) -> HttpResponse:
    """settings.REFUSAL_RESPONDERS["/open311/"]: the error in Open311's XML or JSON."""
    fmt = formats.format_of_path(request.path_info)
    return formats.error(fmt, status, f"{problem.message} / {problem.message_en}")
