"""The map pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from geo_klik.boundaries import queries
from geo_klik.maps import assets, builders, client


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The kelurahan of Bukittinggi on a map, or how to load them when none are loaded yet."""
    feature_collection = queries.kelurahan_feature_collection()
    context: dict[str, object] = {"map": None, "layers": client.config()}
    if feature_collection["features"]:
        fmap = builders.kelurahan_map(feature_collection)
        context["map"] = assets.embed(fmap)
        context["map_name"] = fmap.get_name()
    return render(request, "maps/home.html", context)
