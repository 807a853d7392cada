"""`reroute` of 1,000,000 synthetic open reports against the raw PostGIS floor on the same data.

The reports are spread over the city with a realistic category mix, all first sitting in the
Command Center's triage queue (as if the jurisdictions had just been created), so reroute has
to move every one of them. The raw floor is a single `UPDATE ... FROM ... ST_Covers` that
gives each report *a* covering jurisdiction of its category, with no ranking, no supporting
agencies, no explanation and no history. PostgreSQL plans that literal form as a loop over
(report, version) pairs; a correlated `UPDATE ... SET = (SELECT ... ST_Covers ... LIMIT 1)`,
the first covering piece through the GiST index, is a tighter floor and is reported too.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.db import connection, transaction

from bench import common
from geo_klik.agencies.models import Agency
from geo_klik.dispatch.actions import rerouting
from geo_klik.reports.models import Category

N = int(os.environ.get("BENCH_REROUTE_N", "1000000"))
PREFIX = "BRR"


def create_reports(n: int) -> float:
    triage = Agency.objects.get(is_triage=True)
    categories = list(Category.objects.order_by("id").values_list("id", flat=True))
    started = time.perf_counter()
    # Raw SQL: a million rows are written set-based; the ORM would take many minutes.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reports_report (tracking_code, category_id, location, description,
                status, source, reporter_name, reporter_phone, reporter_email, anonymous,
                address, created_at, updated_at, routed_at)
            SELECT %(prefix)s || lpad(g.n::text, 8, '0'),
                   (%(categories)s::bigint[])[
                       1 + (g.n %% array_length(%(categories)s::bigint[], 1))],
                   g.geom, 'bench', 'triage', 'api', '', '', '', false, '', now(), now(), now()
            FROM (SELECT row_number() OVER () AS n, d.geom
                  FROM boundaries_kota k, LATERAL ST_Dump(ST_GeneratePoints(k.boundary, %(n)s, 1)) d
                 ) g
            """,
            {"prefix": PREFIX, "categories": categories, "n": n},
        )
        cursor.execute(
            """
            INSERT INTO dispatch_routingdecision (report_id, rule, candidates, tolerance_m,
                duration_ms, is_current, created_at, note)
            SELECT id, 'triage', '[]', 100, 0, true, now(), 'bench'
            FROM reports_report WHERE tracking_code LIKE %(like)s
            """,
            {"like": PREFIX + "%"},
        )
        cursor.execute(
            """
            INSERT INTO dispatch_assignment (report_id, agency_id, role, decision_id, active,
                created_at)
            SELECT d.report_id, %(triage)s, 'primary', d.id, true, now()
            FROM dispatch_routingdecision d JOIN reports_report r ON r.id = d.report_id
            WHERE r.tracking_code LIKE %(like)s
            """,
            {"triage": triage.pk, "like": PREFIX + "%"},
        )
        cursor.execute("ANALYZE reports_report")
        cursor.execute("ANALYZE dispatch_routingdecision")
        cursor.execute("ANALYZE dispatch_assignment")
    return time.perf_counter() - started


def remove_reports() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        like = {"like": PREFIX + "%"}
        cursor.execute(
            """DELETE FROM dispatch_assignment a USING reports_report r
               WHERE a.report_id = r.id AND r.tracking_code LIKE %(like)s""",
            like,
        )
        cursor.execute(
            """DELETE FROM dispatch_routingdecision d USING reports_report r
               WHERE d.report_id = r.id AND r.tracking_code LIKE %(like)s""",
            like,
        )
        cursor.execute("DELETE FROM reports_report WHERE tracking_code LIKE %(like)s", like)


RAW_UPDATE_FROM = """
    UPDATE raw_reroute r SET version_id = p.version_id
    FROM dispatch_jurisdictionpiece p
    JOIN dispatch_jurisdictionversion v ON v.id = p.version_id
    WHERE ST_Covers(p.piece, r.location)
      AND v.primary_categories @> ARRAY[r.category]::varchar[]
"""
# The tightest floor: per report, the first covering piece found through the GiST index.
RAW_CORRELATED = """
    UPDATE raw_reroute r SET version_id = (
        SELECT p.version_id FROM dispatch_jurisdictionpiece p
        JOIN dispatch_jurisdictionversion v ON v.id = p.version_id
        WHERE ST_Covers(p.piece, r.location)
          AND v.primary_categories @> ARRAY[r.category]::varchar[]
        LIMIT 1)
"""


def raw_floor_s(statement: str) -> float:
    """The same reports, one raw UPDATE giving each a covering version of its category."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            """
            CREATE TEMP TABLE raw_reroute ON COMMIT DROP AS
            SELECT r.id, r.location, c.code AS category, NULL::bigint AS version_id
            FROM reports_report r JOIN reports_category c ON c.id = r.category_id
            WHERE r.tracking_code LIKE %(like)s
            """,
            {"like": PREFIX + "%"},
        )
        cursor.execute("ANALYZE raw_reroute")
        started = time.perf_counter()
        cursor.execute(statement)
        return time.perf_counter() - started


def run() -> dict[str, Any]:
    remove_reports()
    build_s = create_reports(N)
    try:
        started = time.perf_counter()
        summary = rerouting.reroute_open_reports(commit=True)
        reroute_s = time.perf_counter() - started
        raw_s = raw_floor_s(RAW_UPDATE_FROM)  # same reports, same jurisdictions
        tight_s = raw_floor_s(RAW_CORRELATED)
    finally:
        remove_reports()
    figures = {
        "reports": N,
        "build_s": round(build_s, 1),
        "reroute_s": round(reroute_s, 2),
        "moved": summary.moved,
        "raw_update_from_st_covers_s": round(raw_s, 2),
        "ratio_reroute_over_raw": round(reroute_s / raw_s, 2),
        "raw_correlated_first_match_s": round(tight_s, 2),
        "ratio_reroute_over_correlated": round(reroute_s / tight_s, 2),
    }
    common.write_result("reroute_1m", figures, targets={"ratio_reroute_over_raw": 1.5})
    return figures
