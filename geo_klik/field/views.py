"""The field officers' pages: the app (/petugas/), its manifest and its service worker."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from geo_klik.field import client, queries


@require_safe
@login_required
def app(request: HttpRequest) -> HttpResponse:
    """/petugas/: duty, inbox, incident with map and steps, offline queue (one page)."""
    if not queries.is_officer(request.user):
        raise PermissionDenied(
            "Halaman ini untuk petugas lapangan SKPD. / This page is for SKPD field officers."
        )
    response = render(request, "field/app.html", {"config": client.config(request)})
    # The service worker keeps its own copy for offline use; no shared cache may keep it.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """/petugas/manifest.webmanifest: installable on the home screen, scoped to /petugas/."""
    start = reverse("field-app")
    body = {
        "name": "KLIK Petugas Lapangan",
        "short_name": "KLIK Petugas",
        "lang": "id",
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0969da",
        "icons": [
            {"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/petugas/sw.js: scope /petugas/ (the page and its API)."""
    response = render(
        request,
        "field/sw.js",
        {
            "precache": json.dumps(client.precache_urls()),
            "version": client.ASSET_VERSION,
            "static_prefix": settings.STATIC_URL,
        },
        content_type="application/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response
