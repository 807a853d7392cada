"""The map pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from geo_klik.boundaries import queries
from geo_klik.maps import assets, builders


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The kelurahan of Bukittinggi on a map, or how to load them when none are loaded yet."""
    feature_collection = queries.kelurahan_feature_collection()
    context: dict[str, object] = {"map": None}
    if feature_collection["features"]:
        context["map"] = assets.embed(builders.kelurahan_map(feature_collection))
    return render(request, "maps/home.html", context)
