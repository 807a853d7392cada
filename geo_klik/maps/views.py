"""The map pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from geo_klik.boundaries import cities, queries
from geo_klik.maps import assets, builders, client


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The kelurahan of the city served on a map, or how to load them when none are loaded yet."""
    feature_collection = queries.kelurahan_feature_collection()
    context: dict[str, object] = {"map": None, "layers": client.config()}
    if feature_collection["features"]:
        centre = cities.served().centre or [builders.FALLBACK_LAT, builders.FALLBACK_LON]
        fmap = builders.kelurahan_map(feature_collection, lat=centre[0], lon=centre[1])
        context["map"] = assets.embed(fmap)
        context["map_name"] = fmap.get_name()
    return render(request, "maps/home.html", context)
