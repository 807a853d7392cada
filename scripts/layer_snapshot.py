"""Answer every map feed for a few viewports on a database and dump status, headers and bodies.

    eval "$(make -s env)"; .venv/bin/python scripts/layer_snapshot.py OUT.json

Written for the move of the map layers onto one declaration (issue 14): run it on the seeded dev
database with the code before and after, then compare the two files (``cmp`` or ``diff``). The
clock is fixed so that "open now" and "current" compare equal between runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

FIXED_NOW = dt.datetime(2025, 1, 8, 3, 0, tzinfo=dt.UTC)
FEEDS = [
    "/api/businesses/",
    "/api/businesses/promotions/",
    "/api/community/layers/posts.geojson",
    "/api/community/layers/events.geojson",
    "/api/community/posts/",
    "/api/info/places/",
    "/api/info/announcements/map/",
    "/api/services/offices/",
    "/api/map/reports.geojson",
    "/maps/kelurahan-outlines.geojson",
]
BOXES = [
    None,
    "100.30,-0.40,100.45,-0.25",  # the whole city
    "100.36,-0.31,100.38,-0.29",  # the centre
    "100.369,-0.306,100.371,-0.304",  # a few streets
    "10,10,11,11",  # nowhere near
    "100.4,-0.3,100.3,-0.2",  # west > east
    "a,b,c,d",
    "1,2,3",
    "nan,0,1,1",
]
# The layers' own filters, good and bad, with and without a box.
FILTERS = [
    ("/api/businesses/", {"open_now": "1"}),
    ("/api/businesses/", {"open_now": "maybe"}),
    ("/api/businesses/", {"category": "kuliner"}),
    ("/api/businesses/", {"category": "nope", "in_bbox": "a"}),
    ("/api/businesses/", {"q": "kopi", "in_bbox": "100.36,-0.31,100.38,-0.29"}),
    ("/api/businesses/promotions/", {"current": "1"}),
    ("/api/businesses/promotions/", {"kind": "event"}),
    ("/api/businesses/promotions/", {"kind": "nope"}),
    ("/api/community/posts/", {"kind": "event"}),
    ("/api/community/posts/", {"kind": "nope"}),
    ("/api/community/posts/", {"kelurahan": "13.75.01.1001"}),
    ("/api/community/posts/", {"kelurahan": "99"}),
    ("/api/community/layers/posts.geojson", {"kind": "event"}),
    ("/api/info/places/", {"category": "market"}),
    ("/api/info/places/", {"category": "nope"}),
    ("/api/services/offices/", {"kind": "puskesmas,kantor_lurah"}),
    ("/api/services/offices/", {"kind": "nope"}),
]
# What a client sends besides the query: content negotiation, a stale token, HEAD and POST.
REQUESTS = [
    {"HTTP_ACCEPT": "application/json"},
    {"HTTP_ACCEPT": "text/html"},
    {"HTTP_AUTHORIZATION": "Token not-a-token"},
    {"method": "head"},
    {"method": "post"},
    {"method": "options"},
]
HEADERS = ("Content-Type", "Cache-Control", "ETag", "Vary", "Content-Language", "Allow")


def answer(
    client: Any, url: str, data: dict[str, str], language: str, **extra: str
) -> dict[str, Any]:
    method = extra.pop("method", "get")
    response = getattr(client, method)(url, data, HTTP_ACCEPT_LANGUAGE=language, **extra)
    body: Any = response.content.decode()
    with contextlib.suppress(ValueError):  # the 400s of the HTML pages, if any
        body = json.loads(body)
    return {
        "status": response.status_code,
        "headers": {h: response.headers.get(h) for h in HEADERS},
        "body": body,
    }


def main(out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()
    from unittest import mock

    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    found: dict[str, Any] = {}
    with mock.patch("django.utils.timezone.now", return_value=FIXED_NOW):
        for url in FEEDS:
            for box in BOXES:
                data = {} if box is None else {"in_bbox": box}
                for language in ("id", "en"):
                    found[f"{url} in_bbox={box} {language}"] = answer(client, url, data, language)
        for url in FEEDS:
            for extra in REQUESTS:
                found[f"{url} {sorted(extra.items())}"] = answer(client, url, {}, "en", **extra)
        for url, data in FILTERS:
            for language in ("id", "en"):
                found[f"{url} {sorted(data.items())} {language}"] = answer(
                    client, url, data, language
                )
    out.write_text(json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(found)} answers -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
