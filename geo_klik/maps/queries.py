"""Reads for the map pages: light kelurahan outlines for phones."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON

from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo, spatial

# Outlines a few metres coarser than the source and 5 decimals (about 1 m): a fraction of the
# full layer's bytes, which is what a phone on mobile data downloads and keeps offline.
OUTLINE_TOLERANCE_M = 3.0
OUTLINE_DECIMALS = 5


def kelurahan_outlines(
    *, tolerance_m: float = OUTLINE_TOLERANCE_M, decimals: int = OUTLINE_DECIMALS
) -> dict[str, Any]:
    """Every kelurahan as a light GeoJSON FeatureCollection: name, kecamatan, label point."""
    degrees = tolerance_m / geo.METRES_PER_DEGREE
    rows = (
        Kelurahan.objects.order_by("code_kemendagri")
        .annotate(
            outline=AsGeoJSON(
                spatial.SimplifyPreserveTopology("boundary", degrees), precision=decimals
            )
        )
        .values("name", "code_kemendagri", "label_point", "outline", "kecamatan__name")
    )
    features = []
    for row in rows:
        label = row["label_point"]
        features.append(
            {
                "type": "Feature",
                "id": row["code_kemendagri"],
                "geometry": json.loads(row["outline"]),
                "properties": {
                    "name": row["name"],
                    "code": row["code_kemendagri"],
                    "kecamatan": row["kecamatan__name"],
                    "label": [round(v, decimals) for v in geo.lat_lon(label)] if label else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
