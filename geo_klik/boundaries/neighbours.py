"""The kab/kota around the city and their kelurahan/desa/nagari: where a point outside lies.

Loaded from the same provincial layers as the city (every other kab/kota of its province), into
their own tables (NeighbourRegion, NeighbourDesa) so routing and every city listing never see
them. Invalid source polygons are repaired or refused through ``repair.checked``, each listed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from geo_klik.boundaries import catalog, cities, repair
from geo_klik.boundaries.models import NeighbourDesa, NeighbourRegion

REPAIR_VERSION = "1"
DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "cities" / "neighbours.json"


@dataclass
class LoadReport:
    """What loading the neighbours did: counts, and every repaired or refused polygon."""

    regions: int = 0
    desa: int = 0
    outcomes: list[repair.Outcome] = field(default_factory=list)

    def lines(self) -> list[str]:
        fixed = [o for o in self.outcomes if o.action != "valid"]
        lines = [
            f"Tetangga / neighbours: {self.regions} kab/kota, {self.desa} kelurahan/desa/nagari; "
            f"{sum(o.action == 'repaired' for o in fixed)} polygon(s) repaired, "
            f"{sum(o.action == 'refused' for o in fixed)} refused"
        ]
        return lines + [f"  {outcome.line()}" for outcome in fixed]


@cache
def data() -> dict[str, Any]:
    with open(DATA_FILE, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def village_term(code: str) -> str:
    """What a unit is called: Kelurahan (codes x.xx.xx.1xxx), else the region's word for a
    desa (Nagari in West Sumatra's kabupaten, Desa elsewhere)."""
    if code[9:10] == "1":
        return "Kelurahan"
    terms: dict[str, str] = data()["village_terms"]
    return terms.get(code[:5]) or terms.get(code[:2]) or terms["default"]


def load(city: cities.City) -> LoadReport:
    """(Re)load every other kab/kota of ``city``'s province and its desa; contacts are kept."""
    report = LoadReport()
    kab_path = cities.layer_file(city.province_code, "kab")
    kec_path = cities.layer_file(city.province_code, "kec")
    kel_path = cities.layer_file(city.province_code, "kel")
    if kab_path is None or kec_path is None or kel_path is None:
        return report
    kecamatan = {
        f["properties"]["kode"]: f["properties"]["nama"] for f in cities.features(kec_path)
    }
    contacts: dict[str, dict[str, str]] = data()["contacts"]
    stamp = f"{kab_path.name} {_digest(city, kab_path, kec_path, kel_path)}"
    if (
        NeighbourRegion.objects.exists()
        and not NeighbourRegion.objects.exclude(source=stamp).exists()
    ):
        report.regions = NeighbourRegion.objects.count()
        report.desa = NeighbourDesa.objects.count()
        return report  # this exact data is what is loaded: one query at every start
    with transaction.atomic():
        NeighbourDesa.objects.exclude(code_kemendagri__startswith=f"{city.province_code}.").delete()
        NeighbourRegion.objects.exclude(
            code_kemendagri__startswith=f"{city.province_code}."
        ).delete()
        NeighbourRegion.objects.filter(code_kemendagri=city.code).delete()
        regions: dict[str, NeighbourRegion] = {}
        for feature in cities.features(kab_path):
            code, name = feature["properties"]["kode"], feature["properties"]["nama"]
            outcome = _checked(code, name, feature, report)
            if code == city.code or outcome.geometry is None:
                continue
            region, made = NeighbourRegion.objects.update_or_create(
                code_kemendagri=code,
                defaults={
                    "name": name,
                    "province": city.province,
                    "boundary": outcome.geometry,
                    "source": stamp,
                },
            )
            if made or not region.contact_name:
                region.contact_name = contacts.get(code, {}).get(
                    "contact_name", f"Pemerintah {name}"
                )
                region.save(update_fields=["contact_name"])
            regions[code] = region
        for feature in cities.features(kel_path):
            code, name = feature["properties"]["kode"], feature["properties"]["nama"]
            if code[:5] not in regions:
                continue
            outcome = _checked(code, name, feature, report)
            if outcome.geometry is None:
                continue
            NeighbourDesa.objects.update_or_create(
                code_kemendagri=code,
                defaults={
                    "region": regions[code[:5]],
                    "name": name,
                    "kecamatan_name": kecamatan.get(code[:8], ""),
                    "boundary": outcome.geometry,
                },
            )
            report.desa += 1
        report.regions = len(regions)
    return report


def _digest(city: cities.City, *paths: Path) -> str:
    digest = hashlib.sha256(f"{city.code} repair v{REPAIR_VERSION}".encode())
    for path in paths:
        digest.update(catalog.file_sha256(path).encode())
    return digest.hexdigest()[:16]


def _checked(code: str, name: str, feature: dict[str, Any], report: LoadReport) -> repair.Outcome:
    geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    outcome = repair.checked(code, name, geometry)
    report.outcomes.append(outcome)
    return outcome
