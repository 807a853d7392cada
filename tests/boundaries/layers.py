"""Hand-made kelurahan layers for importer tests, written as GeoJSON into tmp_path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, cast

from django.contrib.gis.geos import Polygon

from geo_klik.lib import geo

UTM_47S = 32747
# Near Bukittinggi in UTM 47S metres, so hand-made layers are measured in their own zone.
ORIGIN_X, ORIGIN_Y = 652_000.0, 9_966_000.0


def metre_box(xmin: float, ymin: float, xmax: float, ymax: float) -> Polygon:
    """A WGS84 polygon drawn as a box in metres relative to ORIGIN in UTM 47S."""
    ring = [(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax), (xmin, ymin)]
    box = Polygon([(ORIGIN_X + x, ORIGIN_Y + y) for x, y in ring], srid=UTM_47S)
    return cast(Polygon, box.transform(geo.WGS84, clone=True))


def properties(code: str, name: str, **extra: Any) -> dict[str, Any]:
    """Minimal valid properties of a kelurahan in Kota Contoh (99.01)."""
    return {
        "kelurahan": name,
        "kecamatan": "Barat",
        "kota": "Kota Contoh",
        "kode_kemendagri": code,
        **extra,
    }


def feature(props: dict[str, Any], geometry: dict[str, Any] | Polygon | None) -> dict[str, Any]:
    """A GeoJSON Feature; a GEOS polygon is serialised with full precision."""
    if isinstance(geometry, Polygon):
        geometry = json.loads(geometry.json)
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_layer(path: Path, features: list[dict[str, Any]]) -> Path:
    """Write a GeoJSON FeatureCollection and return its path."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def bowtie(code: str = "99.01.01.1001", name: str = "Kupu Kupu") -> dict[str, Any]:
    """A self-intersecting 'bow tie' kelurahan: invalid, and MakeValid splits it in two."""
    ring = [[100.0, 0.0], [100.01, 0.01], [100.01, 0.0], [100.0, 0.01], [100.0, 0.0]]
    return feature(properties(code, name), {"type": "Polygon", "coordinates": [ring]})


def to_shapefile(source: Path, target: Path, *, srs: str = "EPSG:32747") -> Path:
    """Convert a layer to an ESRI Shapefile in ``srs`` with ogr2ogr (field names get cut)."""
    subprocess.run(
        ["ogr2ogr", "-f", "ESRI Shapefile", "-t_srs", srs, str(target), str(source)],
        check=True,
        capture_output=True,
    )
    return target
