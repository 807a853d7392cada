"""Single-point routing lookup against 80,000 synthetic jurisdiction polygons.

80,000 is the scale of every desa and kelurahan in Indonesia. The polygons tile Indonesia's
bounding box in a 400 x 200 grid; each edge is densified so a polygon has about 200 vertices,
closer to real village boundaries than a bare square. They are cut into pieces exactly as real
jurisdictions are (ST_Subdivide), and removed afterwards.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db import connection, transaction

from bench import common
from geo_klik.agencies.models import Agency
from geo_klik.dispatch import queries
from geo_klik.dispatch.actions.jurisdictions import SUBDIVIDE_MAX_VERTICES
from geo_klik.dispatch.models import Jurisdiction
from geo_klik.lib import geo

CATEGORY = "bench-national"
COLS, ROWS = 400, 200
LON0, LON1, LAT0, LAT1 = 95.0, 141.0, -11.0, 6.0
LOOKUPS = 5000


def create_polygons() -> float:
    agency, _ = Agency.objects.get_or_create(
        code="bench-national", defaults={"name_id": "bench", "name_en": "bench", "kind": "badan"}
    )
    dx, dy = (LON1 - LON0) / COLS, (LAT1 - LAT0) / ROWS
    started = time.perf_counter()
    # Raw SQL: 80,000 rows are made set-based; one save_jurisdiction_version each would take
    # minutes and measure the admin path, not the lookup.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            WITH grid AS (
                SELECT i, j
                FROM generate_series(0, %(cols)s - 1) i, generate_series(0, %(rows)s - 1) j
            ), made AS (
                INSERT INTO dispatch_jurisdiction (code, agency_id, name, active, created_at)
                SELECT 'bench-nat-' || i || '-' || j, %(agency)s, 'bench', true, now() FROM grid
                RETURNING id, code
            ), versions AS (
                INSERT INTO dispatch_jurisdictionversion
                    (jurisdiction_id, version, coverage, primary_categories, supporting_categories,
                     priority, area_m2, built_from, is_current, valid_from, note)
                SELECT m.id, 1,
                    ST_Multi(ST_Segmentize(ST_MakeEnvelope(
                        %(lon0)s + g.i * %(dx)s, %(lat0)s + g.j * %(dy)s,
                        %(lon0)s + (g.i + 1) * %(dx)s, %(lat0)s + (g.j + 1) * %(dy)s, 4326),
                        %(dx)s / 50)),
                    ARRAY[%(cat)s], ARRAY[]::varchar[], 0, 0, 'bench', true, now(), ''
                FROM made m JOIN grid g ON m.code = 'bench-nat-' || g.i || '-' || g.j
                RETURNING id, coverage
            )
            INSERT INTO dispatch_jurisdictionpiece (version_id, piece)
            SELECT v.id, (ST_Dump(ST_Subdivide(v.coverage, %(maxv)s))).geom FROM versions v
            """,
            {
                "cols": COLS,
                "rows": ROWS,
                "agency": agency.pk,
                "lon0": LON0,
                "lat0": LAT0,
                "dx": dx,
                "dy": dy,
                "cat": CATEGORY,
                "maxv": SUBDIVIDE_MAX_VERTICES,
            },
        )
        cursor.execute("ANALYZE dispatch_jurisdictionpiece")
        cursor.execute("ANALYZE dispatch_jurisdictionversion")
    return time.perf_counter() - started


def remove_polygons() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM dispatch_jurisdictionpiece p USING dispatch_jurisdictionversion v,
                dispatch_jurisdiction j
            WHERE p.version_id = v.id AND v.jurisdiction_id = j.id AND j.code LIKE 'bench-nat-%%'
            """
        )
        cursor.execute(
            """
            DELETE FROM dispatch_jurisdictionversion v USING dispatch_jurisdiction j
            WHERE v.jurisdiction_id = j.id AND j.code LIKE 'bench-nat-%%'
            """
        )
        cursor.execute("DELETE FROM dispatch_jurisdiction WHERE code LIKE 'bench-nat-%%'")


def run() -> dict[str, Any]:
    remove_polygons()
    build_s = create_polygons()
    polygons = Jurisdiction.objects.filter(code__startswith="bench-nat-").count()
    rng = random.Random(11)
    points = [geo.point(rng.uniform(LAT0, LAT1), rng.uniform(LON0, LON1)) for _ in range(LOOKUPS)]
    for pt in points[:200]:  # warm the caches and the connection
        queries.covering_candidates(CATEGORY, pt)
    samples, misses = [], 0
    for pt in points:
        started = time.perf_counter()
        found = queries.covering_candidates(CATEGORY, pt)
        samples.append(time.perf_counter() - started)
        misses += len(found) != 1
    remove_polygons()
    figures = {
        "polygons": polygons,
        "build_s": round(build_s, 1),
        **common.summary_ms(samples),
        "points_not_in_exactly_one": misses,
    }
    common.write_result("national_lookup", figures, targets={"p99_ms": 2.0})
    return figures
