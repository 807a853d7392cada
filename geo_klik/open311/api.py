"""Open311 GeoReport v2 endpoints under /open311/v2/.

Plain Django views rather than DRF: the specification fixes every byte of the answers (root
elements, top-level arrays, its own error arrays, the format chosen by the extension), which is
what DRF's content negotiation, renderers and exception handler would each need overriding for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from geo_klik.open311 import actions, documents, formats, params, queries
from geo_klik.reports.actions import OutsideCity

View = Callable[..., HttpResponse]


def language() -> documents.Language:
    """Indonesian unless the client asked for English (Accept-Language, via LocaleMiddleware)."""
    return "en" if (translation.get_language() or "").startswith("en") else "id"


def endpoint(*methods: str) -> Callable[[View], View]:
    """Format from the extension, allowed methods, jurisdiction_id, bad parameters → errors."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @csrf_exempt  # clients authenticate with api_key, never with a session cookie
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *, fmt: str, **kwargs: str) -> HttpResponse:
            try:
                chosen = formats.parse_format(fmt)
            except formats.UnsupportedFormat:
                return formats.error("xml", 404, f"format {fmt!r} not supported: use xml or json")
            if request.method not in allowed:
                response = formats.error(chosen, 405, f"method {request.method} not allowed")
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            form: QueryDict = request.POST if request.method == "POST" else request.GET
            try:
                params.check_jurisdiction(form)
                return view(request, chosen, **kwargs)
            except params.BadParameter as exc:
                return formats.error(chosen, 400, str(exc))
            except params.UnknownJurisdiction as exc:
                return formats.error(chosen, 404, str(exc))

        return wrapper

    return decorate


def root(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("open311:discovery", kwargs={"fmt": "xml"}))


@endpoint("GET")
def discovery(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:root"))
    return formats.respond(fmt, root="discovery", body=documents.discovery(endpoint_url=url))


@endpoint("GET")
def services(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    lang = language()
    body = [documents.service(category, lang) for category in queries.active_services()]
    return formats.respond(fmt, root="services", item="service", body=body)


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: formats.Format, code: str) -> HttpResponse:
    category = queries.service(code)
    if category is None:
        return formats.error(fmt, 404, f"service_code {code!r} not found")
    body = documents.service_definition(category)
    return formats.respond(fmt, root="service_definition", body=body)


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    if request.method == "POST":
        return create_request(request, fmt)
    asked = params.checked(
        params.RequestsQuerySerializer(data=request.GET, context={"now": timezone.now()})
    )
    where, page = asked.request_filter(), asked.page_asked()
    rows = queries.public_requests(where, offset=page.offset, limit=page.size + 1)
    lang = language()
    body = [
        documents.request(row, lang=lang, absolute_url=request.build_absolute_uri)
        for row in rows[: page.size]
    ]
    response = formats.respond(fmt, root="service_requests", item="request", body=body)
    if len(rows) > page.size:
        following = request.GET.copy()
        following["page"] = str(page.number + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{following.urlencode()}")
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def create_request(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    raw_key = request.POST.get("api_key", "").strip()[:200]
    if not raw_key:
        return formats.error(fmt, 403, "api_key wajib diisi / api_key was not provided")
    api_key = queries.api_key_for(raw_key)
    if api_key is None:
        return formats.error(fmt, 403, "api_key tidak valid / api_key is invalid or inactive")
    new = params.checked(params.NewRequestSerializer(data=request.POST)).new_request()
    category = queries.service(new.service_code)
    if category is None:
        return formats.error(
            fmt,
            400,
            f"service_code {new.service_code!r} tidak dikenal / not found: see services.{fmt}",
        )
    try:
        report = actions.file_request(api_key=api_key, category=category, new=new)
    except OutsideCity:
        return formats.error(
            fmt,
            400,
            "lat/long di luar Kota Bukittinggi / lat/long is outside Kota Bukittinggi",
        )
    body = [documents.created_request(report, account_id=new.account_id, lang=language())]
    return formats.respond(fmt, root="service_requests", item="request", body=body, status=201)


@endpoint("GET")
def service_request(request: HttpRequest, fmt: formats.Format, request_id: str) -> HttpResponse:
    row = queries.public_request(request_id)
    if row is None:
        return formats.error(fmt, 404, f"service_request_id {request_id!r} not found")
    body = [documents.request(row, lang=language(), absolute_url=request.build_absolute_uri)]
    return formats.respond(fmt, root="service_requests", item="request", body=body)
