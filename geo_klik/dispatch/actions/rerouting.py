"""Re-route open reports after jurisdictions change, set-based in SQL, in batches.

Which reports: those routed to an agency that has not acknowledged them yet, i.e. status
``routed`` or ``triage``. Not ``received`` ones (not routed yet: their routing task reads the
current jurisdictions anyway), not ``acknowledged`` or later (an agency is already working on
them; moving them is a manual transfer), not ``transferred`` ones nor any whose current decision
is a manual one (staff chose, a boundary edit must not undo it).

The rules are those of ``routing`` (covers, then nearest within the tolerance, then triage;
supporting agencies likewise), restated in SQL so a million reports are re-routed by a few
statements per batch instead of a Python loop per report. ``tests/dispatch/test_reroute.py``
checks that both statements of the rules agree.

Only reports whose outcome changes (primary agency, supporting agencies, or triage or not) are
written: their current decision and assignments are retired (kept, with ``is_current`` /
``active`` false) and a new decision (note "reroute") with its assignments is inserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from geo_klik.dispatch import queries
from geo_klik.reports.models import Report

REROUTABLE_STATUSES = [Report.Status.ROUTED.value, Report.Status.TRIAGE.value]
NOTE = "reroute"
DEFAULT_BATCH_SIZE = 50_000

# The current pieces, one row per category each serves, with what ranking needs. Built once
# per run: joining versions and matching category arrays per report would cost far more.
_PIECES_SQL = """
DROP TABLE IF EXISTS reroute_piece;
CREATE TEMP TABLE reroute_piece AS
SELECT p.piece, v.id AS version_id, j.agency_id, j.code AS jurisdiction_code,
       v.priority, v.area_m2, c.id AS category_id,
       c.code = ANY(v.primary_categories) AS is_primary,
       c.id * 2 + (c.code = ANY(v.primary_categories))::int AS serves
FROM dispatch_jurisdictionpiece p
JOIN dispatch_jurisdictionversion v ON v.id = p.version_id
JOIN dispatch_jurisdiction j ON j.id = v.jurisdiction_id
JOIN dispatch_agency a ON a.id = j.agency_id
JOIN reports_category c
  ON c.code = ANY(v.primary_categories) OR c.code = ANY(v.supporting_categories)
WHERE v.is_current AND j.active AND a.active;
CREATE INDEX ON reroute_piece USING gist (serves, piece);
ANALYZE reroute_piece;
DROP TABLE IF EXISTS reroute_version;
CREATE TEMP TABLE reroute_version AS
SELECT v.id AS version_id, jsonb_build_object(
         'version_id', v.id, 'version', v.version, 'jurisdiction_code', j.code,
         'agency_id', j.agency_id, 'agency_code', a.code, 'priority', v.priority,
         'area_m2', v.area_m2) AS candidate
FROM dispatch_jurisdictionversion v
JOIN dispatch_jurisdiction j ON j.id = v.jurisdiction_id
JOIN dispatch_agency a ON a.id = j.agency_id
WHERE v.id IN (SELECT version_id FROM reroute_piece);
ALTER TABLE reroute_version ADD PRIMARY KEY (version_id);
"""

# One row per report of the batch whose outcome changes. The laterals restate
# ``routing.choose_covering`` / ``choose_nearest`` / ``supporting_for``: rank is (priority desc,
# area, code); nearest orders by the distance rounded to cm first, as ``queries`` does; for a
# point, ST_DWithin(piece, point, 0) is ST_Covers, which lets one lateral serve both rules.
_PLAN_SQL = """
DROP TABLE IF EXISTS reroute_plan;
CREATE TEMP TABLE reroute_plan AS
WITH batch AS (
  SELECT r.id, r.category_id, r.location, r.status,
         1.1 * %(tolerance_m)s / (111320.0 * greatest(cos(radians(ST_Y(r.location))), 0.01))
           AS margin_deg
  FROM reports_report r
  WHERE r.id >= %(first_id)s AND r.id < %(next_id)s AND r.status = ANY(%(statuses)s)
    AND NOT EXISTS (
      SELECT 1 FROM dispatch_routingdecision d
      WHERE d.report_id = r.id AND d.is_current AND d.rule = 'manual')
),
old AS (
  SELECT a.report_id,
         max(a.agency_id) FILTER (WHERE a.role = 'primary') AS agency_id,
         coalesce(array_agg(a.agency_id ORDER BY a.agency_id)
                  FILTER (WHERE a.role = 'supporting'), '{}') AS supporting_ids
  FROM dispatch_assignment a
  WHERE a.active AND a.report_id >= %(first_id)s AND a.report_id < %(next_id)s
  GROUP BY a.report_id
),
chosen AS (
  SELECT b.id AS report_id, b.status, b.category_id, b.location, b.margin_deg,
         CASE WHEN cov.version_id IS NOT NULL THEN 'covers'
              WHEN near.version_id IS NOT NULL THEN 'nearest' ELSE 'triage' END AS rule,
         coalesce(cov.version_id, near.version_id) AS version_id,
         coalesce(cov.agency_id, near.agency_id, %(triage_agency_id)s) AS agency_id,
         coalesce(near.distance_m, 0) AS distance_m
  FROM batch b
  LEFT JOIN LATERAL (
    SELECT p.version_id, p.agency_id FROM reroute_piece p
    WHERE p.serves = b.category_id * 2 + 1 AND ST_Covers(p.piece, b.location)
    ORDER BY p.priority DESC, p.area_m2, p.jurisdiction_code LIMIT 1
  ) cov ON true
  LEFT JOIN LATERAL (
    SELECT p.version_id, p.agency_id,
           round(ST_DistanceSphere(p.piece, b.location)::numeric, 2) AS distance_m
    FROM reroute_piece p
    WHERE cov.version_id IS NULL AND %(tolerance_m)s > 0
      AND p.serves = b.category_id * 2 + 1
      AND ST_DWithin(p.piece, b.location, b.margin_deg)
    ORDER BY 3, p.priority DESC, p.area_m2, p.jurisdiction_code LIMIT 1
  ) near ON near.distance_m <= %(tolerance_m)s
),
planned AS (
  SELECT c.report_id, c.status, c.rule, c.version_id, c.agency_id, c.distance_m,
         coalesce(sup.agency_ids, '{}') AS supporting_ids,
         coalesce(sup.version_ids, '{}') AS supporting_version_ids,
         coalesce(sup.distances, '{}') AS supporting_distances
  FROM chosen c
  LEFT JOIN LATERAL (
    SELECT array_agg(s.agency_id ORDER BY s.agency_id) AS agency_ids,
           array_agg(s.version_id ORDER BY s.agency_id) AS version_ids,
           array_agg(s.distance_m ORDER BY s.agency_id) AS distances
    FROM (
      SELECT DISTINCT ON (p.agency_id) p.agency_id, p.version_id, d.distance_m
      FROM reroute_piece p
      CROSS JOIN LATERAL (
        SELECT CASE WHEN c.rule = 'covers' THEN 0
                    ELSE round(ST_DistanceSphere(p.piece, c.location)::numeric, 2) END
               AS distance_m
      ) d
      WHERE c.rule <> 'triage' AND p.serves = c.category_id * 2
        AND p.agency_id <> c.agency_id
        AND ST_DWithin(p.piece, c.location,
                       CASE WHEN c.rule = 'covers' THEN 0 ELSE c.margin_deg END)
        AND d.distance_m <= %(tolerance_m)s
      ORDER BY p.agency_id, d.distance_m, p.priority DESC, p.area_m2, p.jurisdiction_code
    ) s
  ) sup ON true
)
SELECT p.*, o.agency_id AS old_agency_id
FROM planned p LEFT JOIN old o ON o.report_id = p.report_id
WHERE p.agency_id IS DISTINCT FROM o.agency_id
   OR p.supporting_ids IS DISTINCT FROM coalesce(o.supporting_ids, '{}')
   OR (p.rule = 'triage') <> (p.status = 'triage');
ANALYZE reroute_plan;
"""

_MOVES_SQL = """
SELECT coalesce(old.code, ''), coalesce(new.code, ''), count(*)
FROM reroute_plan p
LEFT JOIN dispatch_agency old ON old.id = p.old_agency_id
LEFT JOIN dispatch_agency new ON new.id = p.agency_id
GROUP BY 1, 2
"""

# Lock the reports and re-check their status under the lock (READ COMMITTED re-checks the WHERE
# on the newest row version): one acknowledged meanwhile is dropped from the plan, never moved.
# A row lock, not an UPDATE: most moved reports keep their status, and rewriting a report row
# means new entries in all of its eight indexes.
_LOCK_SQL = """
DROP TABLE IF EXISTS reroute_locked;
CREATE TEMP TABLE reroute_locked AS
SELECT r.id FROM reports_report r JOIN reroute_plan p ON p.report_id = r.id
WHERE r.status = ANY(%(statuses)s)
FOR UPDATE OF r;
DELETE FROM reroute_plan p
WHERE NOT EXISTS (SELECT 1 FROM reroute_locked l WHERE l.id = p.report_id);
UPDATE reports_report r
SET status = CASE WHEN p.rule = 'triage' THEN 'triage' ELSE 'routed' END, updated_at = now()
FROM reroute_plan p
WHERE r.id = p.report_id
  AND r.status <> CASE WHEN p.rule = 'triage' THEN 'triage' ELSE 'routed' END;
"""

_RETIRE_SQL = """
UPDATE dispatch_routingdecision d SET is_current = false
FROM reroute_plan p WHERE d.report_id = p.report_id AND d.is_current;
UPDATE dispatch_assignment a SET active = false
FROM reroute_plan p WHERE a.report_id = p.report_id AND a.active;
"""

_WRITE_SQL = """
WITH decision AS (
  INSERT INTO dispatch_routingdecision
    (report_id, rule, candidates, tolerance_m, duration_ms, is_current, created_at, note)
  SELECT p.report_id, p.rule,
         coalesce((
           SELECT jsonb_agg(v.candidate || jsonb_build_object(
                              'role', c.role, 'distance_m', c.distance_m) ORDER BY c.ord)
           FROM (
             SELECT p.version_id, 'primary' AS role, p.distance_m, 0 AS ord
             UNION ALL
             SELECT s.version_id, 'supporting', s.distance_m, s.ord
             FROM unnest(p.supporting_version_ids, p.supporting_distances)
                  WITH ORDINALITY AS s(version_id, distance_m, ord)
           ) c JOIN reroute_version v ON v.version_id = c.version_id
         ), '[]'::jsonb),
         %(tolerance_m)s, %(duration_ms)s, true, now(), %(note)s
  FROM reroute_plan p
  RETURNING id, report_id
)
INSERT INTO dispatch_assignment
  (report_id, agency_id, role, jurisdiction_version_id, decision_id, active, created_at)
SELECT d.report_id, x.agency_id, x.role, x.version_id, d.id, true, now()
FROM decision d
JOIN reroute_plan p ON p.report_id = d.report_id
CROSS JOIN LATERAL (
  SELECT p.agency_id, 'primary' AS role, p.version_id
  UNION ALL
  SELECT s.agency_id, 'supporting', s.version_id
  FROM unnest(p.supporting_ids, p.supporting_version_ids) AS s(agency_id, version_id)
) x
WHERE x.agency_id IS NOT NULL
"""

_BOUNDS_SQL = """
SELECT id FROM (
  SELECT id, row_number() OVER (ORDER BY id) AS n
  FROM reports_report WHERE status = ANY(%(statuses)s)
) r WHERE n %% %(batch_size)s = 1
ORDER BY id
"""

_COUNT_SQL = """
SELECT count(*), coalesce(max(id), 0) FROM reports_report WHERE status = ANY(%(statuses)s)
"""

_BATCH_COUNT_SQL = """
SELECT count(*) FROM reports_report
WHERE id >= %(first_id)s AND id < %(next_id)s AND status = ANY(%(statuses)s)
"""


@dataclass
class RerouteSummary:
    """What a reroute run found (dry run) or did (commit)."""

    committed: bool
    tolerance_m: float
    considered: int = 0
    # (from agency code, to agency code) -> reports; equal codes: supporting agencies changed.
    moves: dict[tuple[str, str], int] = field(default_factory=dict)
    duration_s: float = 0.0

    @property
    def moved(self) -> int:
        return sum(self.moves.values())

    def as_lines(self) -> list[str]:
        verb = "re-routed" if self.committed else "would be re-routed"
        lines = [
            f"{self.considered} open report(s) considered, {self.moved} {verb} "
            f"in {self.duration_s:.1f} s (tolerance {self.tolerance_m:g} m)"
        ]
        for (old, new), count in sorted(self.moves.items(), key=lambda m: (-m[1], m[0])):
            what = "supporting agencies change" if old == new else f"-> {new or '(nobody)'}"
            lines.append(f"  {count:>9}  {old or '(nobody)'} {what}")
        return lines


Progress = Callable[[int], object]


def reroute_open_reports(
    *,
    commit: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    tolerance_m: float | None = None,
    progress: Callable[[int], Progress] | None = None,
) -> RerouteSummary:
    """Re-route the open, unacknowledged reports against the current jurisdictions.

    A dry run (the default) writes nothing and returns what would move; ``commit=True`` writes,
    one transaction per batch of ``batch_size`` reports. ``progress(total)`` may return a
    callback that is given the number of reports done after each batch (a tqdm bar's update).
    """
    tolerance = float(settings.ROUTING_TOLERANCE_M if tolerance_m is None else tolerance_m)
    summary = RerouteSummary(committed=commit, tolerance_m=tolerance)
    started = time.perf_counter()
    params: dict[str, Any] = {"statuses": REROUTABLE_STATUSES, "tolerance_m": tolerance}
    triage = queries.triage_agency()
    params["triage_agency_id"] = triage.pk if triage is not None else None
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, params)
        total, max_id = cursor.fetchone() or (0, 0)
        cursor.execute(_BOUNDS_SQL, {**params, "batch_size": batch_size})
        starts = [row[0] for row in cursor.fetchall()]
        advance = progress(total) if progress is not None else None
        cursor.execute(_PIECES_SQL)
        try:
            ends = [*starts[1:], max_id + 1] if starts else []  # no open report: no batch
            for first_id, next_id in zip(starts, ends, strict=True):
                batch = {**params, "first_id": first_id, "next_id": next_id}
                done = _reroute_batch(cursor, batch, summary, commit=commit)
                summary.considered += done
                if advance is not None:
                    advance(done)
        finally:
            cursor.execute(
                "DROP TABLE IF EXISTS reroute_piece, reroute_version, reroute_plan, reroute_locked"
            )
    summary.duration_s = time.perf_counter() - started
    return summary


def _reroute_batch(
    cursor: Any, params: dict[str, Any], summary: RerouteSummary, *, commit: bool
) -> int:
    """Plan one batch of report ids and, when committing, write it; returns #reports seen."""
    with transaction.atomic():
        planned = time.perf_counter()
        cursor.execute(_BATCH_COUNT_SQL, params)
        row = cursor.fetchone()
        considered = int(row[0]) if row else 0
        cursor.execute(_PLAN_SQL, params)
        if commit:
            cursor.execute(_LOCK_SQL, params)
        cursor.execute(_MOVES_SQL)
        for old, new, count in cursor.fetchall():
            summary.moves[(old, new)] = summary.moves.get((old, new), 0) + int(count)
        if commit:
            elapsed_ms = (time.perf_counter() - planned) * 1000
            cursor.execute(_RETIRE_SQL)
            cursor.execute(
                _WRITE_SQL,
                {
                    **params,
                    "note": NOTE,
                    "duration_ms": round(elapsed_ms / max(considered, 1), 3),
                },
            )
    return considered
