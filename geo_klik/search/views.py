"""/cari/: the residents' search page over the five service areas (works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from geo_klik.lib import errors, language, layers
from geo_klik.residents import client
from geo_klik.search import api, params, queries


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "page": "search",
        "q": request.GET.get("q", ""),
        "near": bool(request.GET.get("lat")),
        "lat": request.GET.get("lat", ""),
        "lon": request.GET.get("lon", ""),
        "area": request.GET.get("area", ""),
        "areas": [(key, layers.AREA_LABELS[key]) for key in layers.AREAS],
        "client": client.config(request),
        "problems": [],
        "groups": [],
        "searched": False,
    }
    if request.GET.get("q") or request.GET.get("lat") or request.GET.get("lon"):
        try:
            query, areas = params.parse(request.GET)
        except errors.Invalid as invalid:
            english = language.english()
            context["problems"] = [p.message_en if english else p.message for p in invalid.problems]
        else:
            hits = [api.hit_json(hit) for hit in queries.search(query, areas=areas)]
            context["searched"] = True
            context["count"] = len(hits)
            # By service area, each nearest first (with a position) or by relevance.
            context["groups"] = _grouped(hits)
    status = 400 if context["problems"] else 200
    return render(request, "search/search.html", context, status=status)


def _grouped(hits: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in hits:
        groups.setdefault(hit["area"], []).append(hit)
    return [
        (str(layers.AREA_LABELS[area]), groups[area]) for area in layers.AREAS if area in groups
    ]
