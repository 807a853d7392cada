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
       r.location,
       ST_Y(r.location) AS lat,
       ST_X(r.location) AS lon,
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


def create(*, order_by: str | None) -> str:
    order = f" ORDER BY {order_by}" if order_by else ""
    return SELECT_SQL.rstrip() + order + " WITH NO DATA;\n" + INDEXES_SQL + (
        "REFRESH MATERIALIZED VIEW analytics_report_facts;\n"
    )


def drop() -> str:
    return "DROP MATERIALIZED VIEW IF EXISTS analytics_report_facts;\n"

