"""Middleware: a database outage answers 503 with Retry-After, never a bare 500; text that
PostgreSQL cannot store (NUL, lone surrogates) answers a bilingual 400 before any view runs."""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

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


# PostgreSQL text cannot hold NUL (psycopg refuses it) nor a lone UTF-16 surrogate (not
# encodable as UTF-8); either would turn a query or an insert into a 500.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The code report intake already answered for the same text, so clients see one code.
UNSTORABLE_PROBLEM_CODE = "invalid_characters"


class UnstorableTextMiddleware:
    """Refuse a request whose path, query, form or JSON body holds text PostgreSQL can't store.

    One rule for every view, page, feed, media file and static file: the path (``%00``
    decoded), every query parameter name and value, every urlencoded or multipart field name,
    value and file name, and every key and string of a JSON body. Invalid UTF-8 never reaches
    here as a surrogate (Django re-percent-encodes it in the path and replaces it with U+FFFD
    in query strings and forms), but a JSON ``"\\ud800"`` escape does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            field = unstorable_field(request)
        except errors.CLIENT_REQUEST_ERRORS as exc:
            # Parsing the body here raised what a view would have met: answer it the same way.
            status, problem = errors.request_problem(exc)
            return refusal(request, status, problem)
        if field is None:
            return self.get_response(request)
        logger.info("refused unstorable text in %s", field)
        problem = errors.Problem(
            field,
            UNSTORABLE_PROBLEM_CODE,
            f"{field} berisi karakter yang tidak dapat disimpan (NUL atau surrogate UTF-16 "
            "tunggal). Hapus karakter itu lalu kirim ulang.",
            f"{field} contains characters that cannot be stored (NUL or a lone UTF-16 "
            "surrogate). Remove them and send it again.",
        )
        return refusal(request, 400, problem)


# In valid JSON, NUL and surrogates can only be written as escapes (raw control characters and
# encoded surrogates make the document invalid, which the view answers). A body without such an
# escape, as nearly every report is, is therefore not parsed here a second time.
JSON_UNSTORABLE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def unstorable_field(request: HttpRequest) -> str | None:
    """The first place in the request that holds unstorable text (a name for ``field``)."""
    if UNSTORABLE.search(request.path_info):
        return "path"
    for name, value in _pairs(request.GET.lists()):
        if UNSTORABLE.search(name) or UNSTORABLE.search(value):
            return _printable(name)
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        for name, value in _pairs(request.POST.lists()):
            if UNSTORABLE.search(name) or UNSTORABLE.search(value):
                return _printable(name)
        for name, uploads in request.FILES.lists():
            for upload in uploads:
                if UNSTORABLE.search(name) or UNSTORABLE.search(upload.name or ""):
                    return _printable(name)
    if (request.content_type or "").endswith("json") and JSON_UNSTORABLE.search(request.body):
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return None  # the view answers its own "malformed body"
        return _json_field(document)
    return None


def _pairs(lists: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[str, str]]:
    for name, values in lists:
        if not values:
            yield name, ""
        for value in values:
            yield name, value


def _json_field(document: Any) -> str | None:
    """The top-level key under which a JSON body holds unstorable text ("body" if no key)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if UNSTORABLE.search(key):
                return "body"
            if any(UNSTORABLE.search(text) for text in _strings(value)):
                return str(key)
        return None
    return "body" if any(UNSTORABLE.search(text) for text in _strings(document)) else None


def _strings(document: Any) -> Iterator[str]:
    """Every key and string in a parsed JSON document, depth-first without recursion."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _printable(name: str) -> str:
    return UNSTORABLE.sub("\ufffd", name)


Responder = Callable[[HttpRequest, int, errors.Problem], HttpResponse]


@functools.cache
def _responder(dotted_path: str) -> Responder:
    responder: Responder = import_string(dotted_path)
    return responder


def refusal(request: HttpRequest, status: int, problem: errors.Problem) -> HttpResponse:
    """The error in the shape the client reads: its own (Open311), the JSON API's, or a page.

    Clients with a shape of their own are named in ``settings.REFUSAL_RESPONDERS`` (path prefix
    -> dotted path of a responder), as Django names CSRF_FAILURE_VIEW: lib imports no app.
    """
    for prefix, dotted_path in settings.REFUSAL_RESPONDERS.items():
        if request.path_info.startswith(prefix):
            return _responder(dotted_path)(request, status, problem)
    if _wants_json(request):
        return JsonResponse(errors.body([problem]), status=status)
    page = (
        '<!doctype html><html lang="id"><meta charset="utf-8">'
        "<title>Permintaan tidak valid / Bad request</title>"
        f"<h1>Permintaan tidak valid</h1><p>{html.escape(problem.message)}</p>"
        f'<h2 lang="en">Bad request</h2><p lang="en">{html.escape(problem.message_en)}</p>'
        '<p><a href="/">Beranda / Home</a></p></html>\n'
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def _wants_json(request: HttpRequest) -> bool:
    """API, feeds, exports and files answer JSON; pages answer HTML unless JSON was asked."""
    path = request.path_info
    if path.startswith("/api/") or "/api/" in path:
        return True
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "." in last and not path.endswith("/"):
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept
