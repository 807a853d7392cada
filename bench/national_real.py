"""Point lookup over every real kelurahan/desa of Indonesia (83,246 polygons, issue 18 item 4).

Loads ``indonesia_desa.geojsonl.gz`` from GEO_KLIK_NATIONAL_DIR (``make national-data``) into two
bench-only tables: the desa as published (invalid ones repaired or refused through
``boundaries.repair``, as the importer does, each listed), and their ST_Subdivide pieces, the
shape the routing tables use. Measures the load, the database size, and the lookup of random
points across the country: points inside random desa (on land, where reports come from) and
points uniform in Indonesia's bounding box (mostly sea: the "nothing here" path). The raw
baseline, the same points against the whole (unsubdivided) polygons, is measured in the same
run. The tables are dropped afterwards. Without the national layers it says so and measures
nothing.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from bench import common, report
from geo_klik.boundaries import repair
from geo_klik.dispatch.actions.jurisdictions import SUBDIVIDE_MAX_VERTICES

FILE = "indonesia_desa.geojsonl.gz"
NOTES = """
Every kelurahan/desa of Indonesia as published (cahyadsn/wilayah_boundaries, MIT), loaded from
GEO_KLIK_NATIONAL_DIR into bench-only tables and dropped afterwards. load_s = reading the gzip
file + COPY + ST_GeomFromGeoJSON + repairing the invalid ones + ST_Subdivide + GiST indexes.
The invalid desa are repaired or refused exactly as the importer's --repair does (each listed in
"repairs"). Lookups are one query each from Python over a kept connection (round trip
included): land points are random points inside random desa; uniform points cover Indonesia's
bounding box (mostly sea, so most find nothing). "whole" is the raw baseline: the same points
against the unsubdivided polygons. Table sizes include indexes and TOAST. Measured on the shared
2-core machine: for direction only.
"""
LOOKUPS = 5000
LON0, LON1, LAT0, LAT1 = 95.0, 141.0, -11.0, 6.0
LOOKUP_SQL = {
    "subdivided": "SELECT code FROM bench_nat_piece WHERE ST_Covers(piece, "
    "ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY code LIMIT 1",
    "whole": "SELECT code FROM bench_nat_desa WHERE ST_Covers(boundary, "
    "ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY code LIMIT 1",
}


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_nat_piece, bench_nat_desa")


def load(path: Path) -> tuple[dict[str, float], list[str]]:
    """Copy, repair, subdivide and index; seconds per step and the repair report."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    buffer = io.StringIO()
    with gzip.open(path, "rt", encoding="utf-8") as source:
        for line in source:
            feature = json.loads(line)
            geometry = json.dumps(feature["geometry"], separators=(",", ":"))
            buffer.write(f"{feature['properties']['kode']}\t{geometry}\n")
    buffer.seek(0)
    timings["read_s"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        step = time.perf_counter()
        cursor.execute("CREATE TABLE bench_nat_desa (code text PRIMARY KEY, raw text)")
        cursor.cursor.copy_expert("COPY bench_nat_desa (code, raw) FROM STDIN", buffer)
        cursor.execute(
            "ALTER TABLE bench_nat_desa ADD COLUMN boundary geometry(MultiPolygon, 4326);"
            "UPDATE bench_nat_desa SET boundary = ST_Multi(ST_GeomFromGeoJSON(raw));"
            "ALTER TABLE bench_nat_desa DROP COLUMN raw"
        )
        timings["copy_s"] = time.perf_counter() - step
        step = time.perf_counter()
        repairs = repair_invalid(cursor)
        timings["repair_s"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute(
            "CREATE INDEX ON bench_nat_desa USING gist (boundary);"
            "CREATE TABLE bench_nat_piece AS SELECT code, "
            "(ST_Dump(ST_Subdivide(boundary, %s))).geom AS piece FROM bench_nat_desa;"
            "CREATE INDEX ON bench_nat_piece USING gist (piece);"
            "ANALYZE bench_nat_desa; ANALYZE bench_nat_piece",
            [SUBDIVIDE_MAX_VERTICES],
        )
        timings["subdivide_index_s"] = time.perf_counter() - step
    timings["load_s"] = time.perf_counter() - started
    return {k: round(v, 1) for k, v in timings.items()}, repairs


def repair_invalid(cursor: Any) -> list[str]:
    """Repair (or refuse: delete) each invalid desa exactly as the importer would."""
    cursor.execute(
        "SELECT code, ST_AsBinary(boundary) FROM bench_nat_desa WHERE NOT ST_IsValid(boundary)"
    )
    lines = []
    for code, wkb in cursor.fetchall():
        outcome = repair.checked(code, "", GEOSGeometry(memoryview(wkb), srid=4326))
        lines.append(outcome.line())
        if outcome.geometry is None:
            cursor.execute("DELETE FROM bench_nat_desa WHERE code = %s", [code])
        else:
            cursor.execute(
                "UPDATE bench_nat_desa SET boundary = ST_GeomFromEWKB(%s) WHERE code = %s",
                [bytes(outcome.geometry.ewkb), code],
            )
    return lines


def points(cursor: Any, rng: random.Random) -> dict[str, list[tuple[float, float]]]:
    """Land points (inside random desa) and uniform points over Indonesia's bounding box."""
    cursor.execute("SELECT setseed(0.11)")
    cursor.execute(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT (ST_Dump(ST_GeneratePoints(boundary, 1, 11))).geom"
        " AS p FROM bench_nat_desa ORDER BY random() LIMIT %s) s",
        [LOOKUPS],
    )
    land = [(float(lon), float(lat)) for lon, lat in cursor.fetchall()]
    uniform = [(rng.uniform(LON0, LON1), rng.uniform(LAT0, LAT1)) for _ in range(LOOKUPS)]
    return {"land": land, "uniform": uniform}


def lookups(cursor: Any, sql: str, sample: list[tuple[float, float]]) -> dict[str, Any]:
    for lon, lat in sample[:200]:  # warm the caches
        cursor.execute(sql, [lon, lat])
        cursor.fetchone()
    samples, found = [], 0
    for lon, lat in sample:
        started = time.perf_counter()
        cursor.execute(sql, [lon, lat])
        row = cursor.fetchone()
        samples.append(time.perf_counter() - started)
        found += row is not None
    return {**common.summary_ms(samples), "found": found}


def run() -> dict[str, Any]:
    path = Path(settings.GEO_KLIK_NATIONAL_DIR) / FILE
    if not path.is_file():
        figures: dict[str, Any] = {
            "available": False,
            "reason": f"{path} is missing: `make national-data` installs the national layers",
        }
        common.write_result("national_real", figures, targets={"p99_ms": 2.0})
        return figures
    drop()
    try:
        timings, repaired = load(path)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM bench_nat_desa),"
                " (SELECT count(*) FROM bench_nat_piece),"
                " pg_total_relation_size('bench_nat_desa'),"
                " pg_total_relation_size('bench_nat_piece')"
            )
            desa, pieces, desa_bytes, piece_bytes = cursor.fetchone()
            sample = points(cursor, random.Random(11))
            measured = {
                f"{kind}_{shape}": lookups(cursor, sql, sample[kind])
                for kind in ("land", "uniform")
                for shape, sql in LOOKUP_SQL.items()
            }
    finally:
        drop()
    figures = {
        "available": True,
        "desa": desa,
        "pieces": pieces,
        **timings,
        "desa_table_mb": round(desa_bytes / 2**20, 1),
        "pieces_table_mb": round(piece_bytes / 2**20, 1),
        "invalid": len(repaired),
        "repaired": sum(": repaired:" in line for line in repaired),
        "refused": sum(": refused:" in line for line in repaired),
        "repairs": repaired,
        # The target is the subdivided lookup of land points; "whole" is the raw baseline.
        "p50_ms": measured["land_subdivided"]["p50_ms"],
        "p99_ms": measured["land_subdivided"]["p99_ms"],
        "lookups": measured,
    }
    path = common.write_result("national_real", figures, targets={"p99_ms": 2.0})
    report.add_notes(path, NOTES)
    return figures
