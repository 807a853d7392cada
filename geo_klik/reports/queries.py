"""Reads of KLIK reports: categories, reports by handle, nearby open reports, the public map."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Polygon
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from geo_klik.agencies.models import Agency
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.lib import geo, spatial
from geo_klik.reports.models import Category, Report, ReportEvent

# "Is this the same problem?": open reports of the same category this close to a new pin.
DUPLICATE_RADIUS_M = 250.0

CATEGORY_CODE = re.compile(r"[a-z0-9_-]{1,40}")
TRACKING_CODE = re.compile(r"[0-9A-Z]{1,16}")
# Crockford's base32 reads look-alikes as digits, so a code copied by hand still matches.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def public_location() -> Case:
    """A report's public position in SQL: the grid cell centre if its category is sensitive.

    Every public read that measures, orders, filters or shows a report by position uses this
    (or ``public_lat_lon`` in Python), never ``location``, so a distance to the metre says no
    more than the map does. It is computed at read time, so a category made sensitive later is
    covered at once. Staff reads keep ``location``.
    """
    return Case(
        When(
            category__sensitive=True,
            then=spatial.SnapToGrid("location", Value(geo.SENSITIVE_GRID_DEG)),
        ),
        default=F("location"),
        output_field=PointField(srid=geo.WGS84),
    )


def public_lat_lon(report: Report) -> tuple[float, float]:
    """(lat, lon) of a report as the public sees it: ``public_location`` in Python."""
    lat, lon = geo.lat_lon(report.location)
    return geo.snap_to_grid(lat, lon) if report.category.sensitive else (lat, lon)


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def active_category(code: str) -> Category | None:
    """The active category with this code; None for any other text (never a query error)."""
    if not CATEGORY_CODE.fullmatch(code):
        return None
    return active_categories().filter(code=code).first()


def normalize_tracking_code(raw: str) -> str | None:
    """The canonical form of a tracking code as a resident may type it; None if impossible."""
    code = raw.strip().upper().replace("-", "").replace(" ", "").translate(_LOOK_ALIKES)
    return code if TRACKING_CODE.fullmatch(code) else None


# A report's kelurahan is shown by name and code: its polygons (and its kecamatan's) stay unread.
# With the kota: a sensitive report's address names it (actions.default_address).
_KELURAHAN_POLYGONS = tuple(f"kelurahan__{p}" for p in boundary_queries.POLYGONS)


def _with_kelurahan(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("category", "kelurahan__kecamatan__kota").defer(
        *_KELURAHAN_POLYGONS
    )


def report_by_idempotency_key(key: uuid.UUID) -> Report | None:
    """The report sent under this key, with its kelurahan; None for a new key (nearly always).

    A new key costs one small query: building the full query (three joins, deferred polygons)
    was a third of report intake's CPU time, spent on keys that are not there (issue 13).
    """
    found = Report.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
    if found is None:
        return None
    return _with_kelurahan(Report.objects.filter(pk=found)).first()


def public_reports(tracking_code: str) -> QuerySet[Report] | None:
    """The report a tracking code names, with what its public view shows: photos, events.

    A queryset, so the apps above (dispatch: its routing) can add what they show; None when
    the code is malformed.
    """
    code = normalize_tracking_code(tracking_code)
    if code is None:
        return None
    return (
        _with_kelurahan(Report.objects.filter(tracking_code=code))
        .prefetch_related(
            "photos",
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(public=True)
                .select_related("agency")
                .prefetch_related("photos"),
                to_attr="public_events",
            ),
        )
        .select_related("rating")
        .annotate(supporters=Count("supports", distinct=True))
    )


def public_report(tracking_code: str) -> Report | None:
    """A report with what its public view shows (without its routing: see dispatch.queries)."""
    reports = public_reports(tracking_code)
    return None if reports is None else reports.first()


def open_reports_near(
    category: Category,
    lat: float,
    lon: float,
    *,
    within_m: float = DUPLICATE_RADIUS_M,
    limit: int = 5,
) -> list[Report]:
    """Open reports of `category` within `within_m` metres of a point, nearest first.

    Each carries ``distance`` (a Distance in metres, from ``public_location``) and
    ``supporters``. The degree-margin prefilter (widened by a grid cell, as a public position
    may lie that far from ``location``) lets the GiST index on ``location`` do the work; the
    metre test is exact.
    """
    point = geo.point(lat, lon)
    margin = geo.degrees_margin(lat, within_m + geo.SENSITIVE_PRECISION_M)
    return list(
        _with_kelurahan(
            Report.objects.filter(
                category=category,
                status__in=Report.OPEN_STATUSES,
                location__dwithin=(point, margin),
            )
        )
        .annotate(public_location=public_location())
        .annotate(distance=Distance("public_location", point), supporters=Count("supports"))
        .filter(distance__lte=within_m)
        .prefetch_related("photos")
        .order_by("distance", "-created_at")[:limit]
    )


# Never shown on the public map, so never found by a search either.
NEVER_LISTED = (Report.Status.REJECTED, Report.Status.DUPLICATE)


def categories_matching(text: str) -> QuerySet[Category]:
    """Active categories whose name, description or code contains ``text`` (any case)."""
    return active_categories().filter(
        Q(name_id__icontains=text)
        | Q(name_en__icontains=text)
        | Q(description_id__icontains=text)
        | Q(description_en__icontains=text)
        | Q(code__icontains=text)
    )


def listed_report_exists(tracking_code: str) -> bool:
    """A report with this (canonical) tracking code exists and is not hidden from the public."""
    return (
        Report.objects.filter(tracking_code=tracking_code).exclude(status__in=NEVER_LISTED).exists()
    )


def public_open_reports_near(
    lat: float, lon: float, *, within_m: float, category_text: str = "", limit: int
) -> list[tuple[Report, float]]:
    """(report, distance in metres) of the open, non-sensitive reports whose public position is
    within ``within_m`` metres, nearest first; ``category_text`` keeps those whose category name
    contains it.

    Sensitive categories are left out (they are never located publicly); the distance is
    still measured from ``public_location``, as every public read.
    """
    point = geo.point(lat, lon)
    margin = geo.degrees_margin(lat, within_m + geo.SENSITIVE_PRECISION_M)
    reports = (
        Report.objects.filter(
            status__in=Report.OPEN_STATUSES,
            category__sensitive=False,
            location__dwithin=(point, margin),
        )
        # The one public position, as every public read (the exclusion above is the first wall).
        .annotate(public_location=public_location())
        .annotate(distance=Distance("public_location", point))
        .filter(distance__lte=within_m)
        # The hit names the kelurahan: its polygon stays unread.
        .select_related("category", "kelurahan")
        .defer("kelurahan__boundary")
    )
    if category_text:
        reports = reports.filter(
            Q(category__name_id__icontains=category_text)
            | Q(category__name_en__icontains=category_text)
        )
    return [(report, report.distance.m) for report in reports.order_by("distance")[:limit]]


# The public map's status groups; rejected and duplicate reports are never shown.
MAP_STATUS_GROUPS = {
    "open": Q(status__in=Report.OPEN_STATUSES),
    "resolved": Q(status__in=(Report.Status.RESOLVED, Report.Status.CLOSED)),
}


@dataclass(frozen=True)
class MapFilter:
    """What the public map asks for; None means "any"."""

    category: str | None = None
    status_group: str | None = None
    kelurahan_code: str | None = None
    days: int = 30
    # (west, south, east, north) in degrees: only reports whose public position lies inside.
    bbox: tuple[float, float, float, float] | None = None


def map_queryset(wanted: MapFilter, *, now: datetime | None = None) -> QuerySet[Report]:
    """The reports the public map shows for `wanted`, unordered, with ``public_location``.

    The viewport filter is on the public position, never on ``location``: a box drawn around
    a sensitive report's true point must not tell more than its cell does. The ``location``
    test beside it only lets the spatial index narrow the rows first (a public position is
    at most half a grid cell from the true point).
    """
    since = (now or timezone.now()) - timedelta(days=wanted.days)
    shown = MAP_STATUS_GROUPS["open"] | MAP_STATUS_GROUPS["resolved"]
    reports = Report.objects.filter(shown, created_at__gte=since)
    if wanted.status_group in MAP_STATUS_GROUPS:
        reports = reports.filter(MAP_STATUS_GROUPS[wanted.status_group])
    if wanted.category:
        reports = reports.filter(category__code=wanted.category)
    if wanted.kelurahan_code:
        reports = reports.filter(kelurahan__code_kemendagri=wanted.kelurahan_code)
    reports = reports.annotate(public_position=public_location())
    if wanted.bbox is not None:
        west, south, east, north = wanted.bbox
        margin = geo.SENSITIVE_GRID_DEG
        near = Polygon.from_bbox((west - margin, south - margin, east + margin, north + margin))
        near.srid = geo.WGS84
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = geo.WGS84
        reports = reports.filter(location__bboverlaps=near, public_position__bboverlaps=box)
    return reports


MAP_FIELDS = (
    "tracking_code",
    "location",
    "status",
    "created_at",
    "category__code",
    "category__name_id",
    "category__name_en",
    "category__icon",
    "category__sensitive",
    "kelurahan__name",
)


def map_reports(
    wanted: MapFilter, *, now: datetime | None = None, limit: int = 2000
) -> list[Report]:
    """Open reports, and reports resolved recently, created within the last `days` days."""
    return list(
        map_queryset(wanted, now=now)
        # What a map feature shows (serializers.map_feature), nothing else: no personal data,
        # no description, and only the kelurahan's name (its polygon is heavy).
        .select_related("category", "kelurahan")
        .only(*MAP_FIELDS)
        .prefetch_related("photos")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the tracking page's timeline."""

    at: datetime
    kind: str  # a ReportEvent.Kind, or "routed"
    actor: str
    status_to: str = ""
    note: str = ""
    agency: Agency | None = None
    photo_urls: tuple[str, ...] = ()


def timeline(report: Report, routed: Sequence[TimelineEntry] = ()) -> list[TimelineEntry]:
    """The public history of a report from ``public_report``: its events, and ``routed``."""
    entries = [
        TimelineEntry(
            at=event.created_at,
            kind=event.kind,
            actor=event.actor,
            status_to=event.status_to,
            note=event.note,
            agency=event.agency,
            photo_urls=()
            if report.category.sensitive
            else tuple(p.image.url for p in event.photos.all()),
        )
        for event in getattr(report, "public_events", [])
    ]
    # Routing (geo_klik.dispatch) sets the status itself; its decisions come in ``routed``.
    entries.extend(routed)
    if not any(e.status_to == Report.Status.RECEIVED for e in entries):
        # Reports from before the timeline existed: their creation is the first entry.
        entries.append(
            TimelineEntry(
                at=report.created_at,
                kind=ReportEvent.Kind.STATUS,
                actor=ReportEvent.Actor.RESIDENT,
                status_to=Report.Status.RECEIVED,
            )
        )
    return sorted(entries, key=lambda e: e.at)


# A reporter's "not fixed": a status change out of "resolved" back into a queue, by the resident.
REOPENED_TO = (Report.Status.RECEIVED, Report.Status.ROUTED, Report.Status.TRIAGE)


def times_reopened_by_reporter(report_id: int) -> int:
    """How many times the reporter said "not fixed" on this report (reopenings they made)."""
    return ReportEvent.objects.filter(
        report_id=report_id,
        kind=ReportEvent.Kind.STATUS,
        actor=ReportEvent.Actor.RESIDENT,
        status_from=Report.Status.RESOLVED,
        status_to__in=REOPENED_TO,
    ).count()
