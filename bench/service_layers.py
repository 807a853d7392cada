"""The service-area layers and the search: server time and payload of each layer's in_bbox
GeoJSON (whole city and a 1 km box at Jam Gadang), /api/search/ by text and near me, and
/api/services/which-office/.

Measured at the seeded sizes (about 40 offices, 30 places, 50 businesses, 12 community posts)
and again with 10,000 more (synthetic, demo) businesses, the size a real UMKM directory may
reach: a layer answers at most MAX_FEATURES features, so the whole-city payload stays bounded
while the query has more rows to choose from. Requests go through Django's test client
(server time without a network), anonymous, as a resident's phone would send them.
"""

from __future__ import annotations

import gzip
import io
import os
import time
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.test import Client

from bench import common
from geo_klik.business.models import Business
from geo_klik.business.models import Category as BusinessCategory
from geo_klik.lib import geo, layers

RUNS = 20
EXTRA_BUSINESSES = int(os.environ.get("BENCH_LAYERS_EXTRA", "10000"))
CITY_BBOX = "100.33,-0.34,100.41,-0.26"
JAM_GADANG = (-0.3051, 100.3693)
# About 1 km across, centred on Jam Gadang (the busiest part of the maps).
CENTRE_BBOX = "100.3648,-0.3096,100.3738,-0.3006"
SLUG_PREFIX = "bench-umkm-"


def measure(client: Client, url: str) -> dict[str, Any]:
    client.get(url)  # connection, plans, the OS page cache
    samples, body = [], b""
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content
    timing = common.summary_ms(samples)
    return {
        "p50_ms": timing["p50_ms"],
        "p95_ms": timing["p95_ms"],
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body)),
    }


def endpoints() -> dict[str, str]:
    from django.urls import reverse

    lat, lon = JAM_GADANG
    urls = {}
    for layer in layers.all_layers():
        url = reverse(layer.url_name)
        urls[f"layer_{layer.key}_city"] = f"{url}?in_bbox={CITY_BBOX}"
        urls[f"layer_{layer.key}_centre"] = f"{url}?in_bbox={CENTRE_BBOX}"
    urls["search_text_pasar"] = "/api/search/?q=pasar"
    urls["search_text_akta_kelahiran"] = "/api/search/?q=akta+kelahiran"
    urls["search_near_jam_gadang_1500m"] = f"/api/search/?lat={lat}&lon={lon}&radius_m=1500"
    urls["which_office_point"] = f"/api/services/which-office/?lat={lat}&lon={lon}"
    return urls


def add_businesses(n: int) -> None:
    """n published demo businesses spread over the city, in one bulk insert."""
    points = common.random_points_in_city(n, seed=7)
    categories = [choice for choice, _ in BusinessCategory.choices]
    rows = [
        Business(
            slug=f"{SLUG_PREFIX}{i}",
            name=f"UMKM Contoh {i}",
            category=categories[i % len(categories)],
            description_id="Usaha contoh untuk uji kinerja.",
            location=geo.point(lat, lon),
            location_approximate=True,
            status=Business.Status.PUBLISHED,
            is_demo=True,
        )
        for i, (lat, lon) in enumerate(points)
    ]
    with transaction.atomic():
        Business.objects.bulk_create(rows, batch_size=2000)


def run() -> dict[str, Any]:
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    for command in ("seed_public_services", "seed_information", "seed_business", "seed_community"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    client = Client(HTTP_HOST="127.0.0.1")
    figures: dict[str, Any] = {"load_average_1_5_15_min_at_start": load_at_start}
    Business.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    for name, url in endpoints().items():
        for key, value in measure(client, url).items():
            figures[f"{name}_{key}"] = value
    try:
        add_businesses(EXTRA_BUSINESSES)
        figures["businesses_at_scale"] = Business.objects.count()
        scaled = {k: v for k, v in endpoints().items() if "business" in k or "search" in k}
        for name, url in scaled.items():
            for key, value in measure(client, url).items():
                figures[f"{name}_at_scale_{key}"] = value
    finally:
        Business.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    common.write_result(
        "service_layers",
        figures,
        targets={"layer_server_ms_each": 1000, "layer_payload_bytes_each": 1_000_000},
    )
    return figures
