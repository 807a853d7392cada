"""Time the conversion of 500 rows into a layer's features, A/B interleaved in one process.

    eval "$(make -s env)"; .venv/bin/python scripts/layer_timing.py [--reps N]

Written for the performance regression of issue 14's move of the map layers onto one declaration
(``lib.layers.FeatureSerializer``): the businesses and places feeds were hand-built dicts before
it. For each layer this reads the first 500 rows of its feed (the seeded rows copied up to 500,
inside a transaction rolled back at the end) and times, on the same rows, alternately:

- ``dicts``: the hand-built dicts of the code before the merge (copied below, as they were);
- ``drf_gis``: drf-gis's generic ``to_representation`` of the same declaration (every field's
  ``get_attribute`` and ``to_representation`` per row), then its ``complete``: the merge's
  path, less the values it computed twice;
- ``feature``: the layer's serializer as its view runs it (``get_serializer(many=True).data``).

It checks that ``dicts`` and ``feature`` give the same JSON, then prints the median and
quartiles of each in ms. Only the conversion is timed: the query runs once, before; the garbage
collector is run before and paused during each timing, as ``timeit`` does.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROWS = 500


class Rollback(Exception):
    pass


def business_dict(business: Any, *, at: dt.datetime) -> dict[str, Any]:
    """geo_klik.business.serializers.business_feature before the merge (813e24c^)."""
    from django.urls import reverse

    from geo_klik.business.serializers import BUSINESS_LAYER, open_label
    from geo_klik.lib import geo, opening_hours

    is_open = opening_hours.is_open(business.opening_hours, at)
    kelurahan = business.kelurahan.name if business.kelurahan else ""
    subtitle = " · ".join(
        part for part in (business.category_name, open_label(is_open), kelurahan) if part
    )
    lat, lon = geo.lat_lon(business.location)
    return {
        "type": "Feature",
        "id": business.pk,
        "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
        "properties": {
            "layer": BUSINESS_LAYER,
            "id": business.pk,
            "title": business.name,
            "subtitle": subtitle,
            "url": reverse("business-detail", args=[business.slug]),
            "approximate": business.location_approximate,
            "slug": business.slug,
            "category": business.category,
            "category_name": business.category_name,
            "icon": business.category_icon,
            "open_now": is_open,
            "hours": business.hours_text,
            "kelurahan": kelurahan,
            "is_demo": business.is_demo,
            "verified": business.verified,
        },
    }


def place_dict(place: Any, *, at: dt.datetime) -> dict[str, Any]:
    """geo_klik.information.serializers.place_feature before the merge (d8a8799^)."""
    from django.urls import reverse

    from geo_klik.information import queries
    from geo_klik.lib import geo

    lat, lon = geo.lat_lon(place.location)
    return {
        "type": "Feature",
        "id": place.pk,
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "layer": queries.PLACES_LAYER,
            "id": place.pk,
            "title": place.title,
            "subtitle": f"{place.get_category_display()} · {place.hours_text()}",
            "url": reverse("information-place", args=[place.slug]),
            "approximate": place.location_approximate,
            "slug": place.slug,
            "category": place.category,
            "category_label": str(place.get_category_display()),
            "icon": place.icon,
            "open_now": place.is_open(at),
            "opening_hours": place.hours_text(),
            "hours_confirmed": place.hours_confirmed,
            "kelurahan": place.kelurahan.name if place.kelurahan else None,
            "is_demo": place.is_demo,
        },
    }


def copy_up_to(model: Any, rows: int, unique: str) -> None:
    """Copies of the seeded rows until there are ``rows`` (new pk and ``unique`` slug)."""
    seeded = list(model.objects.all())
    copies = []
    for i in range(max(0, rows - len(seeded))):
        row = copy.copy(seeded[i % len(seeded)])
        row.pk = None
        setattr(row, unique, f"timing-{i}-{getattr(row, unique)}"[:50])
        copies.append(row)
    model.objects.bulk_create(copies)


def time_layer(
    name: str, view_class: Any, url: str, old: Callable[..., dict[str, Any]], reps: int
) -> dict[str, Any]:
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    view = view_class()
    view.request = Request(APIRequestFactory().get(url))
    view.format_kwarg = None
    view.kwargs = {}
    rows = list(view.first_rows(view.filter_queryset(view.get_queryset()), ROWS))
    at = view.moment

    def dicts() -> Any:
        return [old(row, at=at) for row in rows]

    def drf_gis() -> Any:
        child = view.get_serializer(rows[:1]).__class__(context=view.get_serializer_context())
        features = [GeoFeatureModelSerializer.to_representation(child, row) for row in rows]
        for row, one in zip(rows, features, strict=True):
            child.complete(row, one["properties"])
        return features

    def feature() -> Any:
        return view.get_serializer(rows, many=True).data["features"]

    same = json.dumps(dicts(), sort_keys=True) == json.dumps(feature(), sort_keys=True)
    if not same:
        raise SystemExit(f"{name}: the features differ from the old dicts")
    variants = {"dicts": dicts, "drf_gis": drf_gis, "feature": feature}
    samples: dict[str, list[float]] = {key: [] for key in variants}
    for _ in range(reps):
        for key, run in variants.items():  # interleaved: load changes hit all three alike
            gc.collect()  # as timeit: no variant pays for the garbage of the one before
            gc.disable()
            started = time.perf_counter()
            run()
            samples[key].append((time.perf_counter() - started) * 1000)
            gc.enable()
    found: dict[str, Any] = {"rows": len(rows)}
    for key, values in samples.items():
        q1, median, q3 = statistics.quantiles(values, n=4)
        found[key] = {"p25_ms": round(q1, 2), "p50_ms": round(median, 2), "p75_ms": round(q3, 2)}
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import translation

    from geo_klik.business.api import BusinessListView
    from geo_klik.business.models import Business
    from geo_klik.information.api import PlaceLayerView
    from geo_klik.information.models import Place

    for command in ("seed_information", "seed_business"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    translation.activate("en")
    results: dict[str, Any] = {"load_average_1_5_15_min": [round(x, 2) for x in os.getloadavg()]}
    try:
        with transaction.atomic():
            copy_up_to(Business, ROWS, "slug")
            copy_up_to(Place, ROWS, "slug")
            results["businesses"] = time_layer(
                "businesses", BusinessListView, "/api/businesses/", business_dict, args.reps
            )
            results["places"] = time_layer(
                "places", PlaceLayerView, "/api/info/places/", place_dict, args.reps
            )
            raise Rollback
    except Rollback:
        pass
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
