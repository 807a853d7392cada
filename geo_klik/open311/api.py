"""Open311 GeoReport v2 endpoints under /open311/v2/.

Plain Django views rather than DRF: the specification fixes every byte of the answers (root
elements, top-level arrays, its own error arrays, the format chosen by the extension), which is
what DRF's content negotiation, renderers and exception handler would each need overriding for.
Every answer under /open311/ is Open311's, errors included: 404, 405, 413, 500 and 503 are
error arrays in the format the path asked for, never an HTML page.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from geo_klik.boundaries import outside
from geo_klik.lib import errors
from geo_klik.open311 import actions, attributes, documents, formats, params, queries, uploads
from geo_klik.open311.models import ApiKey
from geo_klik.reports.actions import OutsideCity

logger = logging.getLogger(__name__)

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
                chosen = formats.parse_format(fmt.lower())
            except formats.UnsupportedFormat:
                return formats.error(
                    formats.format_of_path(request.path_info),
                    404,
                    f"format {fmt[:20]!r} not supported: use xml or json",
                )
            if request.method not in allowed:
                response = formats.error(chosen, 405, f"method {request.method} not allowed")
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            return answer(view, request, chosen, kwargs)

        return wrapper

    return decorate


def answer(
    view: View, request: HttpRequest, fmt: formats.Format, kwargs: dict[str, str]
) -> HttpResponse:
    """The view's answer; every failure as an Open311 error in ``fmt``."""
    try:
        if request.method == "POST":
            uploads.refuse_oversize(request)
        form: QueryDict = request.POST if request.method == "POST" else request.GET
        params.check_jurisdiction(form)
        return view(request, fmt, **kwargs)
    except params.BadParameter as exc:
        return formats.error(fmt, 400, str(exc))
    except params.UnknownJurisdiction as exc:
        return formats.error(fmt, 404, str(exc))
    except (uploads.TooLarge, RequestDataTooBig) as exc:
        return formats.error(fmt, 413, str(exc) or uploads.too_large_message())
    except TooManyFieldsSent:
        return formats.error(fmt, 400, "terlalu banyak isian / too many fields")
    except errors.DATABASE_ERRORS:
        logger.error("open311: database unreachable")
        response = formats.error(
            fmt,
            503,
            "Layanan sementara tidak tersedia, coba lagi / "
            "The service is briefly unavailable, try again",
        )
        response["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER_S)
        return response
    except Exception:
        logger.exception("open311: %s %s failed", request.method, request.path_info)
        return formats.error(
            fmt, 500, "Kesalahan server; laporan tidak disimpan / Server error; nothing was stored"
        )


def root(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("open311:discovery", kwargs={"fmt": "xml"}))


@csrf_exempt
def not_found(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """Any other path under /open311/: an Open311 404 in the format its extension names."""
    return formats.error(
        formats.format_of_path(request.path_info),
        404,
        "Alamat Open311 ini tidak ada / No such Open311 resource: see discovery.xml",
    )


@csrf_exempt
def joined_without_slash(request: HttpRequest, resource: str) -> HttpResponse:
    """``/open311/v2services.xml``: a client joined the endpoint and resource without "/"."""
    try:
        match = resolve(reverse("open311:root") + resource)
    except Resolver404:
        return not_found(request)
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


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
        return formats.error(fmt, 404, f"service_code {code[:40]!r} not found")
    attributes_asked = queries.service_attributes(category)
    body = documents.service_definition(category, attributes_asked, language())
    return formats.respond(fmt, root="service_definition", body=body)


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    if request.method == "POST":
        return create_request(request, fmt)
    asked = params.checked(
        params.RequestsQuerySerializer(data=request.GET, context={"now": timezone.now()})
    )
    where, page = asked.request_filter(), asked.page_asked()
    lang, extensions = language(), asked.extensions_asked()
    rows = queries.public_requests(
        where, offset=page.offset, limit=page.size + 1, extensions=extensions
    )
    body = [
        documents.request(
            row, lang=lang, absolute_url=request.build_absolute_uri, extensions=extensions
        )
        for row in rows[: page.size]
    ]
    response = formats.respond(fmt, root="service_requests", item="request", body=body)
    return with_next_link(request, response, page, more=len(rows) > page.size)


def with_next_link(
    request: HttpRequest, response: HttpResponse, page: params.Page, *, more: bool
) -> HttpResponse:
    """The paging extension: ``Link: <…page=N+1…>; rel="next"`` when more follow."""
    if more:
        following = request.GET.copy()
        following["page"] = str(page.number + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{following.urlencode()}")
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def key_of(request: HttpRequest, fmt: formats.Format) -> ApiKey | HttpResponse:
    """The active API key the POST carries, or the 403 that refuses it."""
    raw_key = request.POST.get("api_key", "").strip()[:200]
    if not raw_key:
        return formats.error(fmt, 403, "api_key wajib diisi / api_key was not provided")
    api_key = queries.api_key_for(raw_key)
    if api_key is None:
        return formats.error(fmt, 403, "api_key tidak valid / api_key is invalid or inactive")
    return api_key


def create_request(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    api_key = key_of(request, fmt)
    if isinstance(api_key, HttpResponse):
        return api_key
    new = params.checked(params.NewRequestSerializer(data=request.POST)).new_request()
    answers = attributes.answers_in(request.POST.lists())
    category = queries.service(new.service_code)
    if category is None:
        return formats.error(
            fmt,
            400,
            f"service_code {new.service_code!r} tidak dikenal / not found: see services.{fmt}",
        )
    checked = attributes.checked_answers(queries.service_attributes(category), answers)
    photo = uploads.media_photo(request)
    try:
        report = actions.file_request(
            api_key=api_key, category=category, new=new, photo=photo, attributes=checked
        )
    except OutsideCity:
        # Where the point is instead (a neighbouring kab/kota and its desa), and whom to contact.
        problem = outside.outside_problem(new.lat, new.lon, field="lat/long")
        return formats.error(fmt, 400, f"lat/long: {problem.message} / {problem.message_en}")
    body = [documents.created_request(report, account_id=new.account_id, lang=language())]
    return formats.respond(fmt, root="service_requests", item="request", body=body, status=201)


@endpoint("GET")
def service_request(request: HttpRequest, fmt: formats.Format, request_id: str) -> HttpResponse:
    extensions = params.extensions_flag(request.GET)
    row = queries.public_request(request_id, extensions=extensions)
    if row is None:
        return formats.error(fmt, 404, f"service_request_id {request_id[:40]!r} not found")
    body = [
        documents.request(
            row, lang=language(), absolute_url=request.build_absolute_uri, extensions=extensions
        )
    ]
    return formats.respond(fmt, root="service_requests", item="request", body=body)


@endpoint("GET", "POST")
def service_request_updates(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    """mySociety's servicerequestupdates: the public timeline, and clients' own updates."""
    if request.method == "POST":
        return create_update(request, fmt)
    asked = params.checked(
        params.UpdatesQuerySerializer(data=request.GET, context={"now": timezone.now()})
    )
    page = asked.page_asked()
    events = queries.public_updates(asked.update_filter(), offset=page.offset, limit=page.size + 1)
    lang = language()
    body = [
        documents.update(event, lang=lang, absolute_url=request.build_absolute_uri)
        for event in events[: page.size]
    ]
    response = formats.respond(
        fmt, root="service_request_updates", item="request_update", body=body
    )
    return with_next_link(request, response, page, more=len(events) > page.size)


def create_update(request: HttpRequest, fmt: formats.Format) -> HttpResponse:
    api_key = key_of(request, fmt)
    if isinstance(api_key, HttpResponse):
        return api_key
    new = params.checked(params.NewUpdateSerializer(data=request.POST)).new_update()
    report, own = queries.own_request(api_key, new.service_request_id)
    if report is None:
        return formats.error(fmt, 404, f"service_request_id {new.service_request_id!r} not found")
    if not own:
        return formats.error(
            fmt,
            403,
            "permintaan ini tidak dibuat dengan api_key ini / "
            "this request was not created with this api_key",
        )
    photo = uploads.media_photo(request)
    event, _ = actions.add_client_update(api_key=api_key, report=report, new=new, photo=photo)
    body = [{"update_id": str(event.pk)}]
    return formats.respond(
        fmt, root="service_request_updates", item="request_update", body=body, status=201
    )
