"""The SQL of the fact view analytics_report_facts, shared by the migrations that (re)build it."""

from __future__ import annotations

# One narrow row per report for the planner figures (see analytics.models.ReportFact).
# Acknowledged = first status event to "acknowledged"; resolved = last status event to
# "resolved" (a reopened report counts from its final resolution); reopened = any status
# event leaving "resolved" back to the queue. Durations are seconds from acceptance.
SELECT_SQL = """
CREATE MATERIALIZED VIEW analytics_report_facts AS
SELECT r.id AS report_id,
       r.created_at,
       r.category_id,
       r.kelurahan_id,
       a.agency_id,
       r.status,
       LOCATION AS location,
       ST_Y(LOCATION) AS lat,
       ST_X(LOCATION) AS lon,
       EXTRACT(EPOCH FROM ev.first_ack - r.created_at)::float8 AS ack_s,
       EXTRACT(EPOCH FROM ev.last_resolved - r.created_at)::float8 AS resolve_s,
       EXTRACT(EPOCH FROM c.ack_target)::float8 AS ack_target_s,
       EXTRACT(EPOCH FROM c.resolve_target)::float8 AS resolve_target_s,
       COALESCE(ev.reopened, false) AS reopened,
       rt.stars::smallint AS stars
FROM reports_report r
JOIN reports_category c ON c.id = r.category_id
LEFT JOIN dispatch_assignment a
       ON a.report_id = r.id AND a.active AND a.role = 'primary'
LEFT JOIN (
    SELECT report_id,
           min(created_at) FILTER (WHERE status_to = 'acknowledged') AS first_ack,
           max(created_at) FILTER (WHERE status_to = 'resolved') AS last_resolved,
           bool_or(status_from = 'resolved' AND status_to IN ('routed', 'received'))
               AS reopened
    FROM reports_reportevent
    WHERE kind = 'status'
    GROUP BY report_id
) ev ON ev.report_id = r.id
LEFT JOIN reports_reportrating rt ON rt.report_id = r.id
"""
INDEXES_SQL = """
CREATE UNIQUE INDEX analytics_facts_report_idx ON analytics_report_facts (report_id);
CREATE INDEX analytics_facts_created_idx ON analytics_report_facts (created_at);
CREATE INDEX analytics_facts_location_idx ON analytics_report_facts USING gist (location);
"""


# Where a report is in the figures. Migrations up to 0004 used the exact point; from 0005 it is
# the public position (geo_klik.reports.queries.public_location: a sensitive category's grid
# cell centre, SENSITIVE_GRID_DEG), as the public /transparansi/ page draws heat and hotspots
# from this view. A category made sensitive later is covered at the next refresh.
EXACT_LOCATION = "r.location"
PUBLIC_LOCATION = "CASE WHEN c.sensitive THEN ST_SnapToGrid(r.location, 0.001) ELSE r.location END"


def create(*, order_by: str | None, location: str = EXACT_LOCATION) -> str:
    order = f" ORDER BY {order_by}" if order_by else ""
    select = SELECT_SQL.replace("LOCATION", location)
    return select.rstrip() + order + " WITH NO DATA;\n" + INDEXES_SQL + (
        "REFRESH MATERIALIZED VIEW analytics_report_facts;\n"
    )


def drop() -> str:
    return "DROP MATERIALIZED VIEW IF EXISTS analytics_report_facts;\n"



# The SKPD figures read two daily rollups of the fact view, refreshed right after it, so a
# year of a million reports is a few hundred thousand small rows, not a sort of half a million
# durations. Both are keyed by the local (WIB) date, SKPD, category and current status: every
# filter of the planner pages is a condition on these keys.
#
# analytics_skpd_daily holds exact counts. "Due" (for SLA compliance) is judged at the moment
# of the refresh, the same moment the statuses and times in the fact view were read.
# resolve_spread counts resolved reports per bucket of the time-to-resolve chart (the bounds
# below, in hours; queries.facts.RESOLVE_BUCKETS_H labels them).
RESOLVE_SPREAD_BOUNDS_H = (4, 24, 72, 168, 336)
# analytics_skpd_durations holds, per key and duration bucket, how many reports were
# acknowledged and how many resolved after a time in that bucket: bucket 0 is under a minute,
# bucket b >= 1 is [60 s x 2^((b-1)/16), 60 s x 2^(b/16)), 16 buckets per doubling. The medians
# and 90th percentiles are read from it (queries.performance explains the error bound).
DURATION_BUCKET_FUNCTION_SQL = """
CREATE FUNCTION analytics_duration_bucket(seconds float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN seconds < 60 THEN 0 ELSE 1 + floor(16 * ln(seconds / 60) / ln(2))::integer END;
"""
_SPREAD = ",\n             ".join(
    "count(*) FILTER (WHERE "
    + " AND ".join(
        ([f"f.resolve_s >= {lower} * 3600"] if lower else [])
        + ([f"f.resolve_s < {upper} * 3600"] if upper else [])
    )
    + ")"
    for lower, upper in zip(
        (None, *RESOLVE_SPREAD_BOUNDS_H), (*RESOLVE_SPREAD_BOUNDS_H, None), strict=True
    )
)
DAILY_SQL = f"""
CREATE MATERIALIZED VIEW analytics_skpd_daily AS
SELECT (f.created_at AT TIME ZONE 'Asia/Jakarta')::date AS day,
       f.agency_id, f.category_id, f.status,
       count(*)::integer AS reports,
       count(*) FILTER (WHERE f.ack_s <= f.ack_target_s)::integer AS ack_ok,
       count(*) FILTER (WHERE f.ack_s IS NOT NULL
                        OR f.created_at + f.ack_target_s * interval '1 second' < now())::integer
           AS ack_due,
       count(*) FILTER (WHERE f.resolve_s <= f.resolve_target_s)::integer AS resolve_ok,
       -- rejected and duplicate reports are never due to be resolved (NEVER_RESOLVED)
       count(*) FILTER (WHERE f.resolve_s IS NOT NULL
                        OR (f.status NOT IN ('rejected', 'duplicate')
                            AND f.created_at + f.resolve_target_s * interval '1 second' < now())
                       )::integer AS resolve_due,
       count(*) FILTER (WHERE f.reopened)::integer AS reopened,
       count(f.resolve_s)::integer AS resolved,
       COALESCE(sum(f.stars), 0)::integer AS stars,
       count(f.stars)::integer AS ratings,
       ARRAY[{_SPREAD}
       ]::integer[] AS resolve_spread
FROM analytics_report_facts f
WHERE f.agency_id IS NOT NULL
GROUP BY 1, 2, 3, 4
ORDER BY 1
"""
DURATIONS_SQL = """
CREATE MATERIALIZED VIEW analytics_skpd_durations AS
SELECT d.day, d.agency_id, d.category_id, d.status, d.bucket,
       sum(d.ack)::integer AS ack, sum(d.resolve)::integer AS resolve
FROM (
    SELECT (f.created_at AT TIME ZONE 'Asia/Jakarta')::date AS day, f.agency_id, f.category_id,
           f.status, analytics_duration_bucket(f.ack_s) AS bucket, 1 AS ack, 0 AS resolve
    FROM analytics_report_facts f WHERE f.agency_id IS NOT NULL AND f.ack_s IS NOT NULL
    UNION ALL
    SELECT (f.created_at AT TIME ZONE 'Asia/Jakarta')::date, f.agency_id, f.category_id,
           f.status, analytics_duration_bucket(f.resolve_s), 0, 1
    FROM analytics_report_facts f WHERE f.agency_id IS NOT NULL AND f.resolve_s IS NOT NULL
) d
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1
"""
# A day holds few reports per key, so its histograms are sparse (nearly a row per report and
# kind of time); the same histograms per calendar month are some twenty times fewer rows. A
# period is read as its whole months from this view and its other days from the daily one.
DURATIONS_MONTHLY_SQL = """
CREATE MATERIALIZED VIEW analytics_skpd_durations_monthly AS
SELECT date_trunc('month', h.day::timestamp)::date AS month, h.agency_id, h.category_id,
       h.status, h.bucket, sum(h.ack)::integer AS ack, sum(h.resolve)::integer AS resolve
FROM analytics_skpd_durations h
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1
"""
# Unique indexes: REFRESH ... CONCURRENTLY needs one; their leading day serves the periods.
ROLLUP_INDEXES_SQL = """
CREATE UNIQUE INDEX analytics_skpd_daily_key
    ON analytics_skpd_daily (day, agency_id, category_id, status);
CREATE UNIQUE INDEX analytics_skpd_durations_key
    ON analytics_skpd_durations (day, agency_id, category_id, status, bucket);
CREATE UNIQUE INDEX analytics_skpd_durations_monthly_key
    ON analytics_skpd_durations_monthly (month, agency_id, category_id, status, bucket);
"""
# In refresh order: each is computed from the one before it or from the fact view.
ROLLUPS = (
    "analytics_skpd_daily",
    "analytics_skpd_durations",
    "analytics_skpd_durations_monthly",
)


def create_rollups() -> str:
    return (
        DURATION_BUCKET_FUNCTION_SQL
        + DAILY_SQL.rstrip()
        + " WITH NO DATA;\n"
        + DURATIONS_SQL.rstrip()
        + " WITH NO DATA;\n"
        + DURATIONS_MONTHLY_SQL.rstrip()
        + " WITH NO DATA;\n"
        + ROLLUP_INDEXES_SQL
        + "".join(f"REFRESH MATERIALIZED VIEW {name};\n" for name in ROLLUPS)
    )


def drop_rollups() -> str:
    return (
        "".join(f"DROP MATERIALIZED VIEW IF EXISTS {name};\n" for name in reversed(ROLLUPS))
        + "DROP FUNCTION IF EXISTS analytics_duration_bucket(float8);\n"
    )
