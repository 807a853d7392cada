"""The residents' pages: thin views that hand the templates what the API would answer."""

from __future__ import annotations

import functools
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from geo_klik.dispatch import queries as dispatch_queries
from geo_klik.dispatch import serializers as dispatch_serializers
from geo_klik.maps import assets, builders
from geo_klik.reports import actions, queries, serializers
from geo_klik.residents import client
from geo_klik.residents import queries as resident_queries


@functools.cache
def _map_context() -> dict[str, Any]:
    """The base map of the resident pages, rendered once per process: it holds no data (the
    pages' scripts draw everything on it), and folium takes milliseconds to render it."""
    fmap = builders.resident_map()
    return {"map": assets.embed(fmap), "map_name": fmap.get_name()}


@require_safe
def report_page(request: HttpRequest) -> HttpResponse:
    """/lapor/: drop a pin, describe the problem, send (or queue it while offline)."""
    categories = serializers.CategorySerializer(queries.active_categories(), many=True).data
    context = {
        **_map_context(),
        "page": "report",
        "categories": categories,
        # /lapor/?kategori=<code>: chosen already (from the search or another service area).
        "selected_category": request.GET.get("kategori", ""),
        "client": client.config(request, categories=list(categories)),
    }
    return render(request, "residents/report.html", context)


@require_safe
def track_lookup(request: HttpRequest) -> HttpResponse:
    """/lacak/?kode=...: the form on the public pages that leads to a tracking page."""
    code = queries.normalize_tracking_code(request.GET.get("kode", ""))
    if code:
        return redirect("residents-track", tracking_code=code)
    context = {"page": "track", "client": client.config(request)}
    return render(request, "residents/track_lookup.html", context)


@require_safe
def track_page(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """/lacak/<code>/: status timeline, SKPD, expected resolution, comment, rate, reopen."""
    report = dispatch_queries.public_report(tracking_code)
    if report is None:
        raise Http404("no such tracking code")
    if report.tracking_code != tracking_code:
        return redirect("residents-track", tracking_code=report.tracking_code)
    view = dispatch_serializers.PublicReportSerializer(report, context={"request": request}).data
    context = {
        "page": "track",
        "view": view,
        "is_new": request.GET.get("baru") == "1",
        # Without a reporter secret (reports made before secrets) nobody can act as reporter.
        "has_reporter_secret": report.has_reporter_secret,
        "can_rate": report.is_resolved,
        "can_reopen": report.status == report.Status.RESOLVED
        and report.resolved_at is not None
        and timezone.now() - report.resolved_at <= actions.REOPEN_WINDOW,
        "reopen_days": actions.REOPEN_WINDOW.days,
        # The reporter may delete the whole report only while no agency has it.
        "can_withdraw": report.status == report.Status.RECEIVED and report.routed_at is None,
        "retention_days": settings.NOTIFY_CONTACT_RETENTION_DAYS,
        "share_url": request.build_absolute_uri(
            reverse("residents-track", args=[report.tracking_code])
        ),
        "client": client.config(request, tracking_code=report.tracking_code),
    }
    return render(request, "residents/track.html", context)


@require_safe
def public_map_page(request: HttpRequest) -> HttpResponse:
    """/peta/: open and recently resolved reports, clustered, with filters."""
    context = {
        **_map_context(),
        "page": "map",
        "categories": queries.active_categories(),
        "kelurahan": resident_queries.kelurahan_choices(),
        "client": client.config(request),
    }
    return render(request, "residents/public_map.html", context)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: served from the root so its scope covers /lapor/, /lacak/ and /peta/."""
    response = render(
        request,
        "residents/sw.js",
        {
            "precache": json.dumps(client.precache_urls()),
            "version": client.ASSET_VERSION,
            "static_prefix": settings.STATIC_URL,
        },
        content_type="application/javascript",
    )
    # Browsers check for a new worker on every navigation only if this is not cached.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def privacy_page(request: HttpRequest) -> HttpResponse:
    """/privasi/: what KLIK keeps about a reporter, why, for how long, who sees it (id/en).

    ``?lang=en`` (or ``?lang=id``) shows that language whatever the site's language is.
    """
    lang = request.GET.get("lang", "")
    context = {
        "page": "privacy",
        "retention_days": settings.NOTIFY_CONTACT_RETENTION_DAYS,
        "reopen_days": actions.REOPEN_WINDOW.days,
        "client": client.config(request),
    }
    if lang in ("id", "en"):
        with translation.override(lang):
            return render(request, "residents/privacy.html", {**context, "forced_lang": lang})
    return render(request, "residents/privacy.html", context)
