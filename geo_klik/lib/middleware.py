"""Middleware: a database outage answers 503 with Retry-After, never a bare 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from geo_klik.lib import errors

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Turn OperationalError/InterfaceError raised by any view into a bilingual JSON 503.

    DRF views already answer this way through ``errors.exception_handler``; this covers the
    plain Django views (maps, admin) so a client always learns it may retry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, errors.DATABASE_ERRORS):
            return None
        logger.error("database unreachable: %s", type(exception).__name__)
        data, headers = errors.service_unavailable()
        return JsonResponse(data, status=503, headers=headers)
