"""Reads of kota, kecamatan and kelurahan, including point-in-kelurahan."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON, Distance
from django.contrib.gis.measure import D
from django.db import connections
from django.db.models import QuerySet

from geo_klik.boundaries.models import (
    BoundaryImport,
    Kecamatan,
    Kelurahan,
    Kota,
    NeighbourDesa,
    NeighbourRegion,
)
from geo_klik.lib import geo, spatial

# The polygons a named kelurahan (with its kecamatan and kota) leaves unread: a lookup matches
# them in WHERE, and its callers want names and codes. Reading and parsing them cost about
# 3.5 ms a lookup and 8 ms a report with its kelurahan (issue 13).
POLYGONS = ("boundary", "kecamatan__boundary", "kecamatan__kota__boundary")


def named_kelurahan() -> QuerySet[Kelurahan]:
    """Kelurahan with their kecamatan and kota, without any of their polygons."""
    return Kelurahan.objects.select_related("kecamatan__kota").defer(*POLYGONS)


# kelurahan_for_point in SQL: on report intake's path the ORM spent longer building its query
# (three joins, deferred polygons) than PostgreSQL spends answering it (issue 13). Only names
# and codes are read; the rows become model instances through from_db, so any other field
# (the polygons, label_point) is deferred: read on access, never blanked by a save.
_KELURAHAN_AT_POINT_SQL = """
SELECT k.id, k.kecamatan_id, k.name, k.name_variants, k.code_kemendagri, k.code_bps, k.area_m2,
       c.id, c.kota_id, c.name, c.name_variants, c.code_kemendagri, c.code_bps,
       t.id, t.name, t.province, t.code_kemendagri, t.code_bps
FROM boundaries_kelurahan k
JOIN boundaries_kecamatan c ON c.id = k.kecamatan_id
JOIN boundaries_kota t ON t.id = c.kota_id
WHERE ST_Covers(k.boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
ORDER BY k.code_kemendagri
LIMIT 1
"""
_KELURAHAN_FIELDS = (
    "id",
    "kecamatan_id",
    "name",
    "name_variants",
    "code_kemendagri",
    "code_bps",
    "area_m2",
)
_KECAMATAN_FIELDS = ("id", "kota_id", "name", "name_variants", "code_kemendagri", "code_bps")
_KOTA_FIELDS = ("id", "name", "province", "code_kemendagri", "code_bps")


def kelurahan_for_point(lat: float, lon: float) -> Kelurahan | None:
    """The kelurahan covering (lat, lon), with its kecamatan and kota; None outside the city.

    ``covers`` (not ``contains``) so a point exactly on a boundary still matches; on a boundary
    shared by two kelurahan the lower Kemendagri code wins, so the answer is always the same.
    """
    database = Kelurahan.objects.db
    with connections[database].cursor() as cursor:
        # float(): psycopg2 writes a float by its repr, and numpy's is "np.float64(...)".
        cursor.execute(_KELURAHAN_AT_POINT_SQL, [float(lon), float(lat)])
        row = cursor.fetchone()
    if row is None:
        return None
    first_kecamatan, first_kota = len(_KELURAHAN_FIELDS), -len(_KOTA_FIELDS)
    kelurahan = Kelurahan.from_db(database, _KELURAHAN_FIELDS, row[:first_kecamatan])
    kecamatan = Kecamatan.from_db(database, _KECAMATAN_FIELDS, row[first_kecamatan:first_kota])
    kecamatan.kota = Kota.from_db(database, _KOTA_FIELDS, row[first_kota:])
    kelurahan.kecamatan = kecamatan
    return kelurahan


def nearest_kelurahan(lat: float, lon: float, *, max_distance_m: float) -> Kelurahan | None:
    """The kelurahan closest to a point just outside the city, if within `max_distance_m`.

    For GPS error at the city edge: the covering kelurahan is what callers try first.
    """
    location = geo.point(lat, lon)
    margin_deg = geo.degrees_margin(lat, max_distance_m)
    return (
        named_kelurahan()
        .filter(boundary__dwithin=(location, margin_deg))
        .annotate(distance=Distance("boundary", location))
        .filter(distance__lte=D(m=max_distance_m))
        .order_by("distance", "code_kemendagri")
        .first()
    )


def kelurahan_at(lat: float, lon: float, *, tolerance_m: float = 0.0) -> Kelurahan | None:
    """The kelurahan of (lat, lon): the covering one, else (``tolerance_m`` > 0) the nearest
    within ``tolerance_m`` metres of the city edge; None when there is none.

    The one answer to "which kelurahan is this point in": a report tolerates GPS error at the
    edge (ROUTING_TOLERANCE_M), a listing or a place takes the covering kelurahan only.
    """
    kelurahan = kelurahan_for_point(lat, lon)
    if kelurahan is None and tolerance_m > 0:
        kelurahan = nearest_kelurahan(lat, lon, max_distance_m=tolerance_m)
    return kelurahan


def kelurahan_loaded() -> bool:
    """Some kelurahan layer has been loaded (the database already serves)."""
    return Kelurahan.objects.exists()


def latest_import() -> BoundaryImport | None:
    """The most recent load of a kelurahan layer, with its measured quality; None before any."""
    return BoundaryImport.objects.first()


def kelurahan_feature_collection(
    *, precision: int = 6, simplify_m: float | None = None
) -> dict[str, Any]:
    """Every kelurahan as a GeoJSON FeatureCollection, built from one query.

    The geometry is serialised by PostGIS (ST_AsGeoJSON) with ``precision`` decimals; 6 decimals
    is about 0.1 m, finer than the source data's accuracy and a third smaller than the raw file.
    ``simplify_m`` simplifies the shapes (topology kept) for maps that only colour them.
    """
    shape: Any = "boundary"
    if simplify_m:
        shape = spatial.SimplifyPreserveTopology("boundary", simplify_m / geo.METRES_PER_DEGREE)
    rows = (
        Kelurahan.objects.order_by("code_kemendagri")
        .annotate(geometry_json=AsGeoJSON(shape, precision=precision))
        .values(
            "name",
            "code_kemendagri",
            "code_bps",
            "area_m2",
            "label_point",
            "geometry_json",
            "kecamatan__name",
            "kecamatan__code_kemendagri",
        )
    )
    return {"type": "FeatureCollection", "features": [feature(row) for row in rows]}


def feature(row: dict[str, Any]) -> dict[str, Any]:
    """One GeoJSON Feature from a ``kelurahan_feature_collection`` row."""
    label_lat, label_lon = geo.lat_lon(row["label_point"]) if row["label_point"] else (None, None)
    return {
        "type": "Feature",
        "id": row["code_kemendagri"],
        "geometry": json.loads(row["geometry_json"]),
        "properties": {
            "name": row["name"],
            "code_kemendagri": row["code_kemendagri"],
            "code_bps": row["code_bps"],
            "kecamatan": row["kecamatan__name"],
            "kecamatan_code_kemendagri": row["kecamatan__code_kemendagri"],
            "area_m2": round(row["area_m2"], 1),
            "label_lat": label_lat,
            "label_lon": label_lon,
        },
    }


def distance_to_city_m(lat: float, lon: float) -> float | None:
    """Metres from (lat, lon) to the nearest loaded Kota (0 inside); None before boundaries."""
    nearest = (
        Kota.objects.annotate(distance=Distance("boundary", geo.point(lat, lon)))
        .order_by("distance")
        .values_list("distance", flat=True)
        .first()
    )
    return None if nearest is None else float(nearest.m)


@dataclass(frozen=True)
class NeighbourPlace:
    """Where a point outside the city lies: a neighbouring kab/kota, and its desa if known."""

    region_code: str
    region_name: str
    contact_name: str
    contact_phone: str
    contact_email: str
    contact_url: str
    desa_code: str = ""
    desa_name: str = ""  # "Koto Gadang"
    desa_term: str = ""  # "Nagari", "Kelurahan", "Desa"
    kecamatan_name: str = ""

    @property
    def label(self) -> str:
        """ "Nagari A, Kecamatan B, Kabupaten C" (as much as is known)."""
        desa = f"{self.desa_term} {self.desa_name}".strip()
        parts = [desa, f"Kecamatan {self.kecamatan_name}" if self.kecamatan_name else ""]
        return ", ".join([part for part in parts if part] + [self.region_name])

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kelurahan": {
                "name": self.desa_name,
                "kind": self.desa_term,
                "code_kemendagri": self.desa_code,
            }
            if self.desa_code
            else None,
            "kecamatan": {"name": self.kecamatan_name} if self.kecamatan_name else None,
            "kabupaten_kota": {"name": self.region_name, "code_kemendagri": self.region_code},
            "contact": {
                "name": self.contact_name,
                "phone": self.contact_phone,
                "email": self.contact_email,
                "url": self.contact_url,
            },
        }


def neighbour_at(lat: float, lon: float) -> NeighbourPlace | None:
    """The neighbouring kab/kota (and its kelurahan/desa/nagari) covering (lat, lon), or None.

    The desa decides the kab/kota when one covers the point (the desa and kab/kota layers are
    separate simplifications whose borders differ); else the kab/kota polygon; on a shared
    border the lower Kemendagri code wins, so the answer is always the same.
    """
    from geo_klik.boundaries import neighbours

    location = geo.point(lat, lon)
    desa = (
        NeighbourDesa.objects.select_related("region")
        .defer("boundary", "region__boundary")
        .filter(boundary__covers=location)
        .order_by("code_kemendagri")
        .first()
    )
    region = (
        desa.region
        if desa is not None
        else NeighbourRegion.objects.defer("boundary")
        .filter(boundary__covers=location)
        .order_by("code_kemendagri")
        .first()
    )
    if region is None:
        return None
    place = NeighbourPlace(
        region_code=region.code_kemendagri,
        region_name=region.name,
        contact_name=region.contact_name,
        contact_phone=region.contact_phone,
        contact_email=region.contact_email,
        contact_url=region.contact_url,
    )
    if desa is None:
        return place
    term = neighbours.village_term(desa.code_kemendagri)
    return dataclasses.replace(
        place,
        desa_code=desa.code_kemendagri,
        desa_name=desa.name,
        desa_term=term,
        kecamatan_name=desa.kecamatan_name,
    )
