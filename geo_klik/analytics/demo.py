"""Synthetic demo history for the planner pages, written set-based in SQL; and its removal.

Every demo report is marked by a ``DemoReport`` row and carries a ``DEMO…`` tracking code.
The history has a category mix that differs by kelurahan, a daily and weekly rhythm, slow
growth over the period, a few dozen hotspots of repeated incidents, acknowledgement and
resolution times that depend on the category's targets and on the SKPD, rejections,
reopenings and resident ratings. It is written in batches of plain ``INSERT … SELECT``
statements (one transaction each), so a million reports take minutes, not hours.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from geo_klik.analytics import actions
from geo_klik.analytics.models import DemoReport
from geo_klik.boundaries.models import Kelurahan
from geo_klik.reports.models import Category, Report

TRACKING_PREFIX = "DEMO"
POINTS_PER_KELURAHAN = 1500
HOTSPOTS = 40
HOTSPOT_SHARE = 0.2  # of demo reports, placed within HOTSPOT_RADIUS_M of a hotspot centre
HOTSPOT_RADIUS_M = 25.0
METRES_PER_DEGREE = 111_320.0  # Bukittinggi is at 0.3° S: a degree of longitude is as long

# Reports per hour of the local day (WIB) and per day of the week (Sunday first), relative.
HOUR_WEIGHTS = [1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 8, 8, 8, 8, 9, 9, 8, 7, 5, 4, 2, 1]
DOW_WEIGHTS = [6, 10, 9, 9, 9, 8, 7]
# Category shares in the city as a whole (other codes get 1).
CATEGORY_SHARES = {
    "garbage": 22,
    "road_damage": 16,
    "illegal_parking": 14,
    "street_light": 10,
    "traffic_congestion": 9,
    "flooding": 6,
    "public_order": 6,
    "fallen_tree": 4,
    "traffic_accident": 4,
    "crime": 3,
    "fire": 1,
    "other": 5,
}


class NothingToSeed(Exception):
    """No kelurahan or no category is loaded: run provision_data first."""


@dataclass(frozen=True)
class SeedPlan:
    """What seed_demo writes: how many reports over how many days, ending now."""

    reports: int
    days: int = 730
    batch_size: int = 50_000
    seed: int = 20261128
    now: datetime | None = None


def seed(plan: SeedPlan, *, progress: Callable[[int], None] = lambda n: None) -> int:
    """Write ``plan.reports`` demo reports; ``progress`` is called with each batch's size."""
    now = plan.now or timezone.now()
    rng = random.Random(plan.seed)  # noqa: S311 (synthetic data, reproducible on purpose)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(plan.seed % 1000) / 1000])
        _prepare(cursor, rng)
        written = 0
        for size in _batches(plan.reports, plan.batch_size):
            with transaction.atomic(), _without_row_by_row_key_checks(cursor):
                _write_batch(cursor, size, plan=plan, now=now)
            written += size
            progress(size)
        cursor.execute("DROP TABLE IF EXISTS demo_mix, demo_points, demo_hotspots")
        cursor.execute("ANALYZE reports_report")
        cursor.execute("ANALYZE reports_reportevent")
    actions.refresh_facts()
    return written


def _batches(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def _prepare(cursor: object, rng: random.Random) -> None:
    """Temp tables: (kelurahan, category) mix with its SKPD and speed, point pools, hotspots."""
    categories = list(Category.objects.filter(active=True).values_list("id", "code"))
    kelurahan = _kelurahan_ids()
    if not categories or not kelurahan:
        raise NothingToSeed
    mix = []
    for kel_id in kelurahan:
        centrality = rng.uniform(0.3, 2.0)  # the market and centre report more
        for cat_id, code in categories:
            weight = CATEGORY_SHARES.get(code, 1) * centrality * rng.uniform(0.4, 1.8)
            mix.append((kel_id, cat_id, weight))
    total = sum(w for *_, w in mix)
    rows, cum = [], 0.0
    for kel_id, cat_id, weight in mix:
        rows.append((kel_id, cat_id, cum / total, (cum + weight) / total))
        cum += weight
    execute = cursor.execute  # type: ignore[attr-defined]
    execute("DROP TABLE IF EXISTS demo_mix, demo_points, demo_hotspots")
    execute(
        "CREATE TEMP TABLE demo_mix (kelurahan_id bigint, category_id bigint,"
        " lo float8, hi float8, agency_id bigint, speed float8)"
    )
    execute(
        "INSERT INTO demo_mix (kelurahan_id, category_id, lo, hi)"
        " SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::float8[])",
        [list(col) for col in zip(*rows, strict=True)],
    )
    execute(
        # The SKPD that would route a report at the kelurahan's label point: the highest
        # priority current jurisdiction serving the category; else the Command Center.
        """
        UPDATE demo_mix m SET agency_id = COALESCE((
            SELECT j.agency_id
            FROM dispatch_jurisdictionpiece p
            JOIN dispatch_jurisdictionversion v ON v.id = p.version_id AND v.is_current
            JOIN dispatch_jurisdiction j ON j.id = v.jurisdiction_id AND j.active
            JOIN reports_category c ON c.id = m.category_id
            JOIN boundaries_kelurahan k ON k.id = m.kelurahan_id
            WHERE ST_Covers(p.piece, COALESCE(k.label_point, ST_PointOnSurface(k.boundary)))
              AND c.code = ANY (v.primary_categories)
            ORDER BY v.priority DESC, v.id LIMIT 1
        ), (SELECT id FROM dispatch_agency WHERE is_triage LIMIT 1))
        """
    )
    execute("SELECT DISTINCT agency_id FROM demo_mix WHERE agency_id IS NOT NULL")
    speeds = {agency_id: rng.uniform(0.35, 2.4) for (agency_id,) in cursor.fetchall()}  # type: ignore[attr-defined]
    if speeds:
        execute(
            "UPDATE demo_mix m SET speed = s.speed FROM unnest(%s::bigint[], %s::float8[])"
            " AS s(agency_id, speed) WHERE s.agency_id = m.agency_id",
            [list(speeds), list(speeds.values())],
        )
    execute("UPDATE demo_mix SET speed = 1.0 WHERE speed IS NULL")
    execute(
        """
        CREATE TEMP TABLE demo_points AS
        SELECT k.id AS kelurahan_id, (row_number() OVER (PARTITION BY k.id)) - 1 AS idx,
               d.geom AS location
        FROM boundaries_kelurahan k, LATERAL ST_Dump(ST_GeneratePoints(k.boundary, %s, %s)) d
        """,
        [POINTS_PER_KELURAHAN, rng.randint(1, 10_000)],
    )
    execute("CREATE INDEX ON demo_points (kelurahan_id, idx)")
    # Each report picks its (kelurahan, category) pair by the first cumulative share above a
    # uniform draw: an index lookup instead of a scan of the whole mix per report.
    execute("CREATE INDEX ON demo_mix (hi)")
    execute(
        """
        CREATE TEMP TABLE demo_hotspots AS
        SELECT (row_number() OVER ()) - 1 AS idx, p.kelurahan_id, p.location,
               (SELECT m.category_id FROM demo_mix m WHERE m.kelurahan_id = p.kelurahan_id
                ORDER BY m.hi - m.lo DESC OFFSET floor(random() * 3)::int LIMIT 1) AS category_id
        FROM (SELECT * FROM demo_points ORDER BY random() LIMIT %s) p
        """,
        [HOTSPOTS],
    )
    execute("ANALYZE demo_mix; ANALYZE demo_points; ANALYZE demo_hotspots")


@contextmanager
def _without_row_by_row_key_checks(cursor: object) -> Iterator[None]:
    """Write this batch without one foreign-key trigger per row, where the role may.

    Half of a batch's time went to the deferred checks at commit: one lookup and row lock per
    reference, some twenty million for a million reports. Every reference a batch writes
    comes from a join on the referenced row (category, kelurahan, the SKPD of the mix) or
    from a row the same transaction inserts (report, routing decision), so the checks cannot
    fail; the referenced reference rows are locked here as the checks would lock them, so no
    one deletes them before the batch commits. ``session_replication_role`` needs a
    superuser (the local and benchmark databases); elsewhere the triggers run as usual.
    """
    execute = cursor.execute  # type: ignore[attr-defined]
    execute("SELECT current_setting('is_superuser') = 'on'")
    if not cursor.fetchone()[0]:  # type: ignore[attr-defined]
        yield
        return
    execute(
        """
        SELECT 1 FROM dispatch_agency WHERE id IN (SELECT agency_id FROM demo_mix)
            OR is_triage FOR KEY SHARE;
        SELECT 1 FROM reports_category WHERE id IN (SELECT category_id FROM demo_mix)
            FOR KEY SHARE;
        SELECT 1 FROM boundaries_kelurahan WHERE id IN (SELECT kelurahan_id FROM demo_mix)
            FOR KEY SHARE;
        SET LOCAL session_replication_role = replica;
        """
    )
    yield
    # Back to the session's role at once: inside an enclosing transaction (a test) SET LOCAL
    # would otherwise outlive the batch.
    execute("SET LOCAL session_replication_role = DEFAULT")


def _kelurahan_ids() -> list[int]:
    return list(Kelurahan.objects.order_by("id").values_list("id", flat=True))


def _weights_mean() -> float:
    top = max(HOUR_WEIGHTS) * max(DOW_WEIGHTS)
    return sum(h * d for h in HOUR_WEIGHTS for d in DOW_WEIGHTS) / (24 * 7 * top)


# One batch: sampled times (rejection sampling on hour x weekday x growth), a (kelurahan,
# category) pair from the mix, a point from the kelurahan's pool or near a hotspot, and the
# outcome drawn from lognormal delays scaled by the category's targets and the SKPD's speed.
BATCH_SQL = """
DROP TABLE IF EXISTS demo_batch;
CREATE TEMP TABLE demo_batch ON COMMIT DROP AS
WITH times AS (
    SELECT ts FROM (
        SELECT %(start)s::timestamptz + random() * %(span)s::interval AS ts
        FROM generate_series(1, %(candidates)s)
    ) c
    WHERE random() * %(top)s
        < (%(hours)s::int[])[extract(hour FROM ts AT TIME ZONE 'Asia/Jakarta')::int + 1]
        * (%(dows)s::int[])[extract(dow FROM ts AT TIME ZONE 'Asia/Jakarta')::int + 1]
        * (0.6 + 0.4 * extract(epoch FROM ts - %(start)s::timestamptz) / %(span_s)s)
    LIMIT %(size)s
), drawn AS (
    SELECT ts, random() AS u, random() AS h, floor(random() * %(pool)s)::int AS idx,
           floor(random() * %(hotspots)s)::int AS hidx,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z1,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z2,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z3,
           random() AS fate, random() AS r2
    FROM times
), placed AS (
    SELECT d.*, m.kelurahan_id AS mix_kelurahan, m.category_id AS mix_category,
           hs.kelurahan_id AS hs_kelurahan, hs.category_id AS hs_category, hs.location AS hs_loc
    FROM drawn d
    JOIN LATERAL (SELECT * FROM demo_mix m WHERE m.hi > d.u ORDER BY m.hi LIMIT 1) m ON true
    LEFT JOIN demo_hotspots hs ON d.h < %(hotspot_share)s AND hs.idx = d.hidx
), located AS (
    SELECT p.*,
           COALESCE(p.hs_kelurahan, p.mix_kelurahan) AS kelurahan_id,
           COALESCE(p.hs_category, p.mix_category) AS category_id,
           COALESCE(
               ST_Translate(p.hs_loc, (random() - 0.5) * %(jitter)s, (random() - 0.5) * %(jitter)s),
               pt.location
           ) AS location
    FROM placed p
    JOIN demo_points pt ON pt.kelurahan_id = p.mix_kelurahan AND pt.idx = p.idx
)
SELECT nextval('reports_report_id_seq') AS id,
       nextval('dispatch_routingdecision_id_seq') AS decision_id,
       l.ts AS created_at, l.kelurahan_id, l.category_id, l.location, m.agency_id,
       c.sensitive, c.name_id AS category_name, k.name AS kelurahan_name,
       (EXTRACT(EPOCH FROM c.ack_target) * m.speed * 0.5 * exp(0.8 * l.z1)) * interval '1 second'
           AS ack_after,
       (EXTRACT(EPOCH FROM c.resolve_target) * m.speed * 0.45 * exp(0.7 * l.z2))
           * interval '1 second' AS work_for,
       l.fate < 0.03 AS rejected,
       l.fate >= 0.03 AND l.fate < 0.03 + 0.03 * m.speed AS reopened,
       l.r2 < 0.35 AS rates,
       l.z3, l.r2
FROM located l
JOIN demo_mix m ON m.kelurahan_id = l.kelurahan_id AND m.category_id = l.category_id
JOIN reports_category c ON c.id = l.category_id
JOIN boundaries_kelurahan k ON k.id = l.kelurahan_id;

ALTER TABLE demo_batch ADD COLUMN acked_at timestamptz, ADD COLUMN resolved1_at timestamptz,
    ADD COLUMN reopened_at timestamptz, ADD COLUMN reacked_at timestamptz,
    ADD COLUMN final_at timestamptz, ADD COLUMN closed_at timestamptz, ADD COLUMN status text;
UPDATE demo_batch SET acked_at = created_at + interval '30 seconds' + ack_after;
UPDATE demo_batch SET resolved1_at = acked_at + work_for WHERE NOT rejected;
UPDATE demo_batch SET reopened_at = resolved1_at + interval '1 hour' + r2 * interval '5 days'
    WHERE reopened;
UPDATE demo_batch SET reacked_at = reopened_at + ack_after WHERE reopened;
UPDATE demo_batch SET final_at = CASE WHEN reopened THEN reacked_at + work_for * 0.7
                                      ELSE resolved1_at END WHERE NOT rejected;
UPDATE demo_batch SET closed_at = final_at + interval '3 days'
    WHERE final_at + interval '3 days' <= %(now)s AND r2 < 0.8;
UPDATE demo_batch SET status = CASE
    WHEN acked_at > %(now)s THEN 'routed'
    WHEN rejected THEN 'rejected'
    WHEN reopened AND resolved1_at <= %(now)s AND reopened_at > %(now)s THEN 'resolved'
    WHEN reopened AND reopened_at <= %(now)s AND reacked_at > %(now)s THEN 'routed'
    WHEN final_at > %(now)s THEN 'acknowledged'
    WHEN closed_at IS NOT NULL THEN 'closed'
    ELSE 'resolved' END;

INSERT INTO reports_report (id, tracking_code, location, accuracy_m, description, address,
    status, source, reporter_name, reporter_phone, reporter_email, anonymous, created_at,
    updated_at, routed_at, routing_enqueued_at, category_id, kelurahan_id, resolved_at)
SELECT id, 'DEMO' || lpad(id::text, 12, '0'), location, 5 + 25 * r2,
       'Laporan demo (data sintetis): ' || category_name, 'Kel. ' || kelurahan_name,
       status, CASE WHEN r2 < 0.6 THEN 'web' ELSE 'api' END, '', '', '', r2 < 0.1,
       created_at, LEAST(%(now)s, COALESCE(closed_at, final_at, acked_at)),
       created_at + interval '2 seconds', created_at,
       category_id, kelurahan_id,
       CASE WHEN status = 'resolved' AND reopened AND reopened_at > %(now)s THEN resolved1_at
            WHEN status = 'resolved' THEN final_at END
FROM demo_batch;

INSERT INTO analytics_demoreport (report_id, batch) SELECT id, %(batch)s FROM demo_batch;

INSERT INTO dispatch_routingdecision (id, report_id, rule, candidates, tolerance_m,
    duration_ms, is_current, created_at, note)
SELECT decision_id, id, CASE WHEN agency_id IS NULL THEN 'triage' ELSE 'covers' END, '[]',
       0, 3 + 10 * r2, true, created_at + interval '2 seconds', 'demo'
FROM demo_batch;

INSERT INTO dispatch_assignment (report_id, agency_id, role, active, created_at, decision_id)
SELECT id, agency_id, 'primary', true, created_at + interval '2 seconds', decision_id
FROM demo_batch WHERE agency_id IS NOT NULL;

INSERT INTO reports_reportevent (report_id, kind, actor, status_from, status_to, note, public,
    created_at, agency_id)
SELECT id, 'status', actor, status_from, status_to, '', true, at, agency_id FROM (
    SELECT id, 'system' AS actor, 'received' AS status_from, 'routed' AS status_to,
           created_at + interval '2 seconds' AS at, agency_id FROM demo_batch
    UNION ALL
    SELECT id, 'staff', 'routed', CASE WHEN rejected THEN 'rejected' ELSE 'acknowledged' END,
           acked_at, agency_id FROM demo_batch
    UNION ALL
    SELECT id, 'staff', 'acknowledged', 'resolved', resolved1_at, agency_id
        FROM demo_batch WHERE resolved1_at IS NOT NULL
    UNION ALL
    SELECT id, 'resident', 'resolved', 'routed', reopened_at, NULL FROM demo_batch WHERE reopened
    UNION ALL
    SELECT id, 'staff', 'routed', 'acknowledged', reacked_at, agency_id FROM demo_batch
        WHERE reopened
    UNION ALL
    SELECT id, 'staff', 'acknowledged', 'resolved', final_at, agency_id FROM demo_batch
        WHERE reopened
    UNION ALL
    SELECT id, 'staff', 'resolved', 'closed', closed_at, agency_id FROM demo_batch
        WHERE closed_at IS NOT NULL
) e WHERE at <= %(now)s;

INSERT INTO reports_reportrating (report_id, stars, comment, created_at, updated_at)
SELECT b.id, GREATEST(1, LEAST(5, round(4.3 - 0.6 * ln(GREATEST(EXTRACT(EPOCH FROM
           b.final_at - b.created_at), 60) / EXTRACT(EPOCH FROM c.resolve_target)) + 0.9 * b.z3))),
       '', b.final_at + interval '1 day', b.final_at + interval '1 day'
FROM demo_batch b JOIN reports_category c ON c.id = b.category_id
WHERE rates AND status IN ('resolved', 'closed') AND final_at + interval '1 day' <= %(now)s;

INSERT INTO reports_reportevent (report_id, kind, actor, status_from, status_to, note, public,
    created_at, agency_id)
SELECT report_id, 'rating', 'resident', '', '', '', true, created_at, NULL
FROM reports_reportrating WHERE report_id IN (SELECT id FROM demo_batch);
"""


def _write_batch(cursor: object, size: int, *, plan: SeedPlan, now: datetime) -> None:
    start = now - timedelta(days=plan.days)
    mean = _weights_mean()
    cursor.execute(  # type: ignore[attr-defined]
        BATCH_SQL,
        {
            "start": start,
            "span": timedelta(days=plan.days),
            "span_s": plan.days * 86400.0,
            # Enough candidates that LIMIT is reached: acceptance is mean x 0.8 on average.
            "candidates": int(size / (mean * 0.6)) + 1000,
            "top": max(HOUR_WEIGHTS) * max(DOW_WEIGHTS),
            "hours": HOUR_WEIGHTS,
            "dows": DOW_WEIGHTS,
            "size": size,
            "pool": POINTS_PER_KELURAHAN,
            "hotspots": HOTSPOTS,
            "hotspot_share": HOTSPOT_SHARE,
            "jitter": 2 * HOTSPOT_RADIUS_M / METRES_PER_DEGREE,
            "now": now,
            "batch": now.strftime("%Y%m%dT%H%M%S"),
        },
    )


def demo_count() -> int:
    return DemoReport.objects.count()


def remove() -> int:
    """Delete every demo report and every row that depends on one, in one transaction.

    Plain SQL deletes instead of the ORM's collector, which would load a million rows; the
    dependent tables are found from the models' relations (Django's foreign keys are
    DEFERRABLE INITIALLY DEFERRED, so the order of the deletes does not matter).
    """
    demo_ids = "SELECT report_id FROM analytics_demoreport"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_demoreport")
        (count,) = cursor.fetchone() or (0,)
        _delete_dependents(cursor, Report, demo_ids, depth=0)
        cursor.execute(f"DELETE FROM reports_report WHERE id IN ({demo_ids})")  # noqa: S608
        cursor.execute("DELETE FROM analytics_demoreport")
    actions.refresh_facts()
    return int(count)


def _delete_dependents(
    cursor: object, model: type[models.Model], ids_sql: str, *, depth: int
) -> None:
    execute = cursor.execute  # type: ignore[attr-defined]
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related is DemoReport or not isinstance(related, type):
            continue
        field = relation.field
        if not getattr(field, "column", None) or relation.many_to_many:
            continue
        table, column = related._meta.db_table, field.column
        where = f"{column} IN ({ids_sql})"
        if relation.on_delete in (models.SET_NULL,):
            execute(f"UPDATE {table} SET {column} = NULL WHERE {where}")  # noqa: S608
        elif relation.on_delete is models.CASCADE and depth < 3:
            pk = related._meta.pk.column
            child_ids = f"SELECT {pk} FROM {table} WHERE {where}"  # noqa: S608
            _delete_dependents(cursor, related, child_ids, depth=depth + 1)
            execute(f"DELETE FROM {table} WHERE {where}")  # noqa: S608
