"""Reads of the dispatch app: which jurisdictions can take a report at a point."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from django.contrib.gis.db.models import Union
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.contrib.gis.measure import D
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from geopy.distance import geodesic

from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.boundaries.models import Kelurahan
from geo_klik.dispatch.models import Assignment, JurisdictionPiece, RoutingDecision, Unit
from geo_klik.lib import geo, spatial
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Report, ReportEvent

Role = Literal["primary", "supporting"]


@dataclass(frozen=True)
class Candidate:
    """A current jurisdiction version that serves a category near or at a point."""

    version_id: int
    version: int
    jurisdiction_code: str
    agency_id: int
    agency_code: str
    priority: int
    area_m2: float
    role: Role
    distance_m: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def rank(self) -> tuple[float, float, str]:
        """Highest priority first, then the smallest area, then the code (deterministic)."""
        return (-self.priority, self.area_m2, self.jurisdiction_code)


def _serving(category_code: str) -> Q:
    return Q(version__primary_categories__contains=[category_code]) | Q(
        version__supporting_categories__contains=[category_code]
    )


def _candidates(rows: Any, category_code: str) -> list[Candidate]:
    best: dict[int, Candidate] = {}
    for row in rows:
        role: Role = (
            "primary" if category_code in row["version__primary_categories"] else "supporting"
        )
        distance = float(row["distance"].m) if "distance" in row else 0.0
        candidate = Candidate(
            version_id=row["version_id"],
            version=row["version__version"],
            jurisdiction_code=row["version__jurisdiction__code"],
            agency_id=row["version__jurisdiction__agency_id"],
            agency_code=row["version__jurisdiction__agency__code"],
            priority=row["version__priority"],
            area_m2=row["version__area_m2"],
            role=role,
            distance_m=round(distance, 2),
        )
        # A version is cut into pieces: keep its closest piece.
        known = best.get(candidate.version_id)
        if known is None or candidate.distance_m < known.distance_m:
            best[candidate.version_id] = candidate
    return sorted(best.values(), key=lambda c: (c.distance_m, c.rank))


_FIELDS = (
    "version_id",
    "version__version",
    "version__jurisdiction__code",
    "version__jurisdiction__agency_id",
    "version__jurisdiction__agency__code",
    "version__priority",
    "version__area_m2",
    "version__primary_categories",
)


def _current_pieces() -> Any:
    return JurisdictionPiece.objects.filter(
        version__is_current=True,
        version__jurisdiction__active=True,
        version__jurisdiction__agency__active=True,
    )


# Raw SQL on the routing hot path: the same query through the ORM costs about 2 ms of Python
# per lookup, six times the database's own work (bench/national_lookup.py measures both).
# The columns of a candidate and the joins from a jurisdiction piece to its current, active
# version, jurisdiction and agency: shared by the single and the batch lookup.
_CANDIDATE_COLUMNS = """
        v.id AS version_id,
        v.version AS version__version,
        j.code AS version__jurisdiction__code,
        j.agency_id AS version__jurisdiction__agency_id,
        a.code AS version__jurisdiction__agency__code,
        v.priority AS version__priority,
        v.area_m2 AS version__area_m2,
        v.primary_categories AS version__primary_categories
"""
_PIECE_JOINS = """
    JOIN dispatch_jurisdictionversion v ON v.id = p.version_id
    JOIN dispatch_jurisdiction j ON j.id = v.jurisdiction_id
    JOIN dispatch_agency a ON a.id = j.agency_id
    AND v.is_current AND j.active AND a.active
"""
_COVERING_SQL = f"""
    SELECT DISTINCT ON (v.id) {_CANDIDATE_COLUMNS}
    FROM dispatch_jurisdictionpiece p {_PIECE_JOINS}
    WHERE ST_Covers(p.piece, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
      AND (v.primary_categories @> ARRAY[%(category)s]::varchar[]
           OR v.supporting_categories @> ARRAY[%(category)s]::varchar[])
"""  # noqa: S608 - only the module constants above are interpolated


def covering_candidates(category_code: str, location: Point) -> list[Candidate]:
    """Current jurisdictions serving the category whose coverage covers the point.

    ``covers`` (not ``contains``) so that a point exactly on a boundary still matches.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _COVERING_SQL, {"lon": location.x, "lat": location.y, "category": category_code}
        )
        names = [column.name for column in cursor.description or ()]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return _candidates(rows, category_code)


# The same lookup for many reports at once (the batch routing of a surge): one statement, the
# point-in-polygon test in PostgreSQL against each report's own location; no polygon leaves it.
_COVERING_MANY_SQL = f"""
    SELECT DISTINCT ON (r.id, v.id)
        r.id AS report_id, c.code AS category_code, {_CANDIDATE_COLUMNS}
    FROM reports_report r
    JOIN reports_category c ON c.id = r.category_id
    JOIN dispatch_jurisdictionpiece p ON ST_Covers(p.piece, r.location) {_PIECE_JOINS}
    WHERE r.id = ANY(%(ids)s)
      AND (v.primary_categories @> ARRAY[c.code]::varchar[]
           OR v.supporting_categories @> ARRAY[c.code]::varchar[])
"""  # noqa: S608 - only the module constants above are interpolated


def covering_candidates_of_reports(report_ids: list[int]) -> dict[int, list[Candidate]]:
    """``covering_candidates`` of each report's category and location, by report id.

    A report no jurisdiction covers is absent from the answer.
    """
    if not report_ids:
        return {}
    rows_of: dict[int, list[dict[str, Any]]] = {}
    category_of: dict[int, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(_COVERING_MANY_SQL, {"ids": list(report_ids)})
        names = [column.name for column in cursor.description or ()]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            rows_of.setdefault(row["report_id"], []).append(row)
            category_of[row["report_id"]] = row["category_code"]
    return {pk: _candidates(rows, category_of[pk]) for pk, rows in rows_of.items()}


def is_routed(report_id: int) -> bool:
    """Whether the report has been routed (committed); False for an unknown id."""
    return Report.objects.filter(pk=report_id, routed_at__isnull=False).exists()


def nearby_candidates(
    category_code: str, location: Point, *, tolerance_m: float
) -> list[Candidate]:
    """Current jurisdictions serving the category within `tolerance_m` metres of the point."""
    if tolerance_m <= 0:
        return []
    # A bounding prefilter in degrees uses the spatial index; the exact test is in metres.
    margin_deg = geo.degrees_margin(location.y, tolerance_m)
    rows = (
        _current_pieces()
        .filter(_serving(category_code), piece__dwithin=(location, margin_deg))
        .annotate(distance=Distance("piece", location))
        .values(*_FIELDS, "distance")
    )
    return [c for c in _candidates(rows, category_code) if c.distance_m <= tolerance_m]


def triage_agency() -> Agency | None:
    """The Command Center, which takes what no jurisdiction covers."""
    return Agency.objects.filter(is_triage=True, active=True).first()


def union_of_areas(
    *, kelurahan_codes: list[str], kecamatan_codes: list[str]
) -> MultiPolygon | None:
    """The union (ST_Union, in PostGIS) of the chosen kelurahan and kecamatan; None if none."""
    parts = Kelurahan.objects.filter(
        Q(code_kemendagri__in=kelurahan_codes) | Q(kecamatan__code_kemendagri__in=kecamatan_codes)
    )
    union = parts.aggregate(union=Union("boundary"))["union"]
    if union is None:
        return None
    if isinstance(union, Polygon):
        return MultiPolygon(union, srid=union.srid)
    return union  # type: ignore[no-any-return]


# --- The control room: what a staff member sees -------------------------------------------

DUPLICATE_RADIUS_M = 250.0


def visibility_of(user: Any) -> tuple[str, int]:
    """What ``reports_visible_to`` depends on: ("all", 0), ("agency", its id) or ("none", 0).

    Two users with the same visibility see exactly the same reports.
    """
    if roles.is_city_wide(user):
        return ("all", 0)
    agency_id = roles.agency_id_of(user)
    if agency_id is None or not roles.has_any(user, (roles.SKPD_STAFF,)):
        return ("none", 0)
    return ("agency", agency_id)


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """Every report for city-wide roles; an SKPD's own (active assignment) for its staff."""
    kind, agency_id = visibility_of(user)
    if kind == "all":
        return Report.objects.all()
    if kind == "none":
        return Report.objects.none()
    mine = Assignment.objects.filter(report=OuterRef("pk"), active=True, agency_id=agency_id)
    return Report.objects.filter(Exists(mine))


def queue_for(user: Any) -> QuerySet[Report]:
    """Open reports the user may see, most urgent first: priority, then oldest."""
    return (
        reports_visible_to(user)
        .filter(status__in=Report.OPEN_STATUSES)
        .select_related("category", "kelurahan", "handling", "handling__claimed_by")
        # The queue shows the kelurahan's name: its polygon would be read and parsed per row.
        .defer("kelurahan__boundary", "kelurahan__label_point")
        .order_by("category__priority", "created_at", "id")
    )


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """Every unit for city-wide roles; an SKPD's own units for its staff."""
    units = Unit.objects.select_related("agency")
    if roles.is_city_wide(user):
        return units
    agency_id = roles.agency_id_of(user)
    if agency_id is None or not roles.has_any(user, (roles.SKPD_STAFF,)):
        return units.none()
    return units.filter(agency_id=agency_id)


@dataclass(frozen=True)
class UnitSuggestion:
    """An available unit and its geodesic distance to the incident."""

    unit: Unit
    distance_m: float


def nearest_available_units(
    location: Point, *, agency_ids: list[int], limit: int = 5, prefilter: int = 25
) -> list[UnitSuggestion]:
    """The available units of these agencies nearest the point, by geodesic distance.

    The KNN operator (``<->``, GiST index) picks the ``prefilter`` nearest in degrees; geopy's
    geodesic then measures each exactly in metres and orders them.
    """
    nearest = (
        Unit.objects.filter(
            agency_id__in=agency_ids, status=Unit.Status.AVAILABLE, location__isnull=False
        )
        .select_related("agency")
        .annotate(knn=spatial.KnnDistance("location", location))
        .order_by("knn")[:prefilter]
    )
    lat, lon = geo.lat_lon(location)
    suggestions = []
    for unit in nearest:
        if unit.location is None:  # filtered above; for the type checker
            continue
        distance = geodesic((lat, lon), geo.lat_lon(unit.location)).meters
        suggestions.append(UnitSuggestion(unit, round(distance, 1)))
    suggestions.sort(key=lambda s: (s.distance_m, s.unit.call_sign))
    return suggestions[:limit]


def duplicate_candidates(
    report: Report, *, user: Any, radius_m: float = DUPLICATE_RADIUS_M, limit: int = 10
) -> list[Report]:
    """Open reports of the same category within `radius_m` metres the user may see."""
    margin_deg = geo.degrees_margin(report.location.y, radius_m)
    return list(
        reports_visible_to(user)
        .filter(
            category_id=report.category_id,
            status__in=Report.OPEN_STATUSES,
            location__dwithin=(report.location, margin_deg),  # index prefilter, degrees
        )
        .exclude(pk=report.pk)
        .annotate(distance=Distance("location", report.location))
        .filter(distance__lte=D(m=radius_m))
        .order_by("distance", "created_at")[:limit]
    )


def city_stats() -> dict[str, dict[str, int]]:
    """City-wide counts for planners and supervisors: reports by status and by category, and
    active primary assignments by SKPD (no report, no personal data)."""
    by_status = Report.objects.values_list("status").annotate(n=Count("id")).order_by()
    by_category = Report.objects.values_list("category__code").annotate(n=Count("id")).order_by()
    by_agency = (
        Assignment.objects.filter(active=True, role=Assignment.Role.PRIMARY)
        .values_list("agency__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "by_status": dict(by_status),
        "by_category": dict(by_category),
        "by_agency": dict(by_agency),
    }


def public_report(tracking_code: str) -> Report | None:
    """A report with what its public view shows, its routing included: active assignments and
    the current decision (the intake's own part comes from ``reports.queries.public_reports``).
    """
    reports = report_queries.public_reports(tracking_code)
    if reports is None:
        return None
    return reports.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(active=True)
            .select_related("agency", "jurisdiction_version__jurisdiction")
            # The view names a jurisdiction and its version: its coverage stays unread.
            .defer("jurisdiction_version__coverage")
            .order_by("role", "agency__code"),
            to_attr="active_assignments",
        ),
        Prefetch(
            "routing_decisions",
            queryset=RoutingDecision.objects.filter(is_current=True),
            to_attr="current_decisions",
        ),
    ).first()


# What a report's public view is made of, as one string that changes whenever any of it changes:
# each row's xmin (the id of the transaction that wrote it: each writing transaction has its own)
# changes on every UPDATE of the row, however it is written (the ORM's save or
# update, the admin, a trigger, raw SQL), and the counts change when rows are deleted. Names of
# the agency, category or kelurahan are not in it: the cached view lives PUBLIC_VIEW_TTL_S.
_PUBLIC_VERSION_SQL = """
SELECT r.tracking_code, concat_ws('/', r.xmin::text,
  (SELECT count(*) || '.' || coalesce(max(e.xmin::text::bigint), 0)
   FROM reports_reportevent e WHERE e.report_id = r.id),
  (SELECT count(*) || '.' || coalesce(max(p.xmin::text::bigint), 0)
   FROM reports_reportphoto p WHERE p.report_id = r.id),
  (SELECT count(*) FROM reports_reportsupport s WHERE s.report_id = r.id),
  (SELECT coalesce(max(t.xmin::text::bigint), 0) FROM reports_reportrating t
   WHERE t.report_id = r.id),
  (SELECT count(*) || '.' || coalesce(max(a.xmin::text::bigint), 0)
   FROM dispatch_assignment a WHERE a.report_id = r.id),
  (SELECT count(*) || '.' || coalesce(max(d.xmin::text::bigint), 0)
   FROM dispatch_routingdecision d WHERE d.report_id = r.id))
FROM reports_report r WHERE r.tracking_code = %s
"""


def public_report_version(tracking_code: str) -> tuple[str, str] | None:
    """(canonical code, version) of the report a tracking code names; None if there is none.

    One indexed query: the public view is served from cache while this is unchanged.
    """
    code = report_queries.normalize_tracking_code(tracking_code)
    if code is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_VERSION_SQL, [code])
        row = cursor.fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def routing_timeline(report: Report) -> list[report_queries.TimelineEntry]:
    """The public timeline's routing entries of a report from ``public_report``."""
    primary = next(
        (
            a.agency
            for a in getattr(report, "active_assignments", [])
            if a.role == Assignment.Role.PRIMARY
        ),
        None,
    )
    return [
        report_queries.TimelineEntry(
            at=decision.created_at,
            kind="routed",
            actor=ReportEvent.Actor.SYSTEM,
            status_to=Report.Status.TRIAGE
            if decision.rule == RoutingDecision.Rule.TRIAGE
            else Report.Status.ROUTED,
            agency=primary,
        )
        for decision in getattr(report, "current_decisions", [])
    ]
