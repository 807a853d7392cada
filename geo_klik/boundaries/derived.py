"""The kecamatan and kota layers derived from a kelurahan layer, written as GeoJSON files.

They are what the importer stores (the union of each kecamatan's kelurahan after overlaps and
gaps are resolved), for readers outside geo_klik: QGIS, other tools, the repository's data folder.
Coordinates are rounded to 8 decimals (about 1 mm); the output depends only on the input file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo_klik.boundaries import importer

PRECISION = 8


def write(source: Path, out_dir: Path) -> list[Path]:
    """Write ``kecamatan.geojson`` and ``kota.geojson`` derived from ``source``; their paths."""
    _, plan = importer.derive(source)
    note = f"union of the kelurahan of {source.name} after importer v{importer.IMPORTER_VERSION}"
    kecamatan = [
        feature(
            {
                "kecamatan": values["name"],
                "kode_kemendagri": code,
                "kode_bps": values["code_bps"],
                "kode_kota_kemendagri": values["kota_code"],
                "nama_lain": sorted(set(values["name_variants"]) - {values["name"]}),
                "sumber": note,
            },
            values["boundary"],
        )
        for code, values in plan.kecamatan.items()
    ]
    kota = [
        feature(
            {
                "kota": values["name"],
                "provinsi": values["province"],
                "kode_kemendagri": code,
                "kode_bps": values["code_bps"],
                "sumber": note,
            },
            values["boundary"],
        )
        for code, values in plan.kota.items()
    ]
    written = []
    for name, features in (("kecamatan", kecamatan), ("kota", kota)):
        path = out_dir / f"{name}.geojson"
        collection = {"type": "FeatureCollection", "name": name, "features": features}
        path.write_text(json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def feature(properties: dict[str, Any], boundary: Any) -> dict[str, Any]:
    geometry = json.loads(boundary.json)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])},
    }


def rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, float):
        return round(coordinates, PRECISION)
    return [rounded(item) for item in coordinates]
