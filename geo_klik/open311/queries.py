"""Reads of the Open311 API: services, API keys, and the public view of service requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from geo_klik.agencies.models import Agency
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.dispatch.models import Assignment, RoutingDecision
from geo_klik.open311.models import (
    ApiKey,
    ServiceAttribute,
    ServiceRequest,
    UpdateReceipt,
    hash_key,
)
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category, Report, ReportEvent, ReportPhoto


def active_services() -> QuerySet[Category]:
    """Active categories, each annotated ``has_attributes`` (GeoReport's ``metadata``)."""
    attributes = ServiceAttribute.objects.filter(category=OuterRef("pk"), active=True)
    return report_queries.active_categories().annotate(has_attributes=Exists(attributes))


def service_attributes(category: Category) -> list[ServiceAttribute]:
    """The active attributes of a service, in their order."""
    return list(category.open311_attributes.filter(active=True).order_by("order", "id"))


def service(code: str) -> Category | None:
    return report_queries.active_category(code)


def api_key_for(raw_key: str) -> ApiKey | None:
    """The active key whose hash matches; the raw key is never compared or stored."""
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(raw_key), active=True).first()


@dataclass(frozen=True)
class RequestFilter:
    """GET requests parameters, already validated; empty means "any"."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: frozenset[str] = field(default_factory=frozenset)  # "open", "closed"
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class UpdateFilter:
    """GET servicerequestupdates parameters, validated: the window, and requests if named."""

    start: datetime
    end: datetime | None = None  # None: up to now
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicRequest:
    """A report with what its public Open311 view needs, read in a fixed number of queries."""

    report: Report
    agency: Agency | None
    photo: ReportPhoto | None
    client_media_url: str
    decision: RoutingDecision | None = None


def _with_public_relations(
    reports: QuerySet[Report], *, extensions: bool = False
) -> QuerySet[Report]:
    primary = Assignment.objects.filter(active=True, role=Assignment.Role.PRIMARY).select_related(
        "agency"
    )
    reports = (
        reports.select_related("category", "kelurahan__kecamatan__kota", "open311")
        # Names only (the kota for a sensitive report's address): no polygon is read.
        .defer(*(f"kelurahan__{p}" for p in boundary_queries.POLYGONS))
    ).prefetch_related(
        Prefetch("assignments", queryset=primary, to_attr="open311_primary"),
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("id"), to_attr="open311_photos"),
    )
    if not extensions:
        return reports
    # The public part of why it went there: the rule, not the candidates it weighed.
    decisions = RoutingDecision.objects.filter(is_current=True).only(
        "id", "report_id", "rule", "created_at"
    )
    return reports.prefetch_related(
        Prefetch("routing_decisions", queryset=decisions, to_attr="open311_decisions")
    )


def _public(report: Report) -> PublicRequest:
    primary: list[Assignment] = getattr(report, "open311_primary", [])
    photos: list[ReportPhoto] = getattr(report, "open311_photos", [])
    decisions: list[RoutingDecision] = getattr(report, "open311_decisions", [])
    try:
        client_media_url = report.open311.media_url
    except ServiceRequest.DoesNotExist:
        client_media_url = ""
    return PublicRequest(
        report=report,
        agency=primary[0].agency if primary else None,
        photo=photos[0] if photos else None,
        client_media_url=client_media_url,
        decision=decisions[0] if decisions else None,
    )


def matching_reports(where: RequestFilter) -> QuerySet[Report]:
    """Reports matching GET requests filters, newest first.

    As the specification says, ``service_request_id`` overrides every other filter.
    """
    reports = Report.objects.order_by("-created_at", "-id")
    if where.ids:
        return reports.filter(tracking_code__in=where.ids)
    if where.service_codes:
        reports = reports.filter(category__code__in=where.service_codes)
    if where.statuses == {"open"}:
        reports = reports.filter(status__in=Report.OPEN_STATUSES)
    elif where.statuses == {"closed"}:
        reports = reports.exclude(status__in=Report.OPEN_STATUSES)
    if where.start is not None:
        reports = reports.filter(created_at__gte=where.start)
    if where.end is not None:
        reports = reports.filter(created_at__lte=where.end)
    return reports


def public_requests(
    where: RequestFilter, *, offset: int, limit: int, extensions: bool = False
) -> list[PublicRequest]:
    """One page of matching requests, ready to publish (with their routing for extensions)."""
    page = _with_public_relations(matching_reports(where), extensions=extensions)[
        offset : offset + limit
    ]
    return [_public(report) for report in page]


def public_request(raw_id: str, *, extensions: bool = False) -> PublicRequest | None:
    """The request with this id (a tracking code, as a resident may have typed it)."""
    tracking_code = report_queries.normalize_tracking_code(raw_id)
    if tracking_code is None:
        return None
    reports = Report.objects.filter(tracking_code=tracking_code)
    report = _with_public_relations(reports, extensions=extensions).first()
    return None if report is None else _public(report)


def status_after() -> Subquery:
    """The report's status once an event was recorded: its latest status change up to then."""
    changes = ReportEvent.objects.filter(
        report=OuterRef("report"),
        kind=ReportEvent.Kind.STATUS,
        created_at__lte=OuterRef("created_at"),
    ).exclude(status_to="")
    return Subquery(changes.order_by("-created_at", "-id").values("status_to")[:1])


def public_updates(where: UpdateFilter, *, offset: int, limit: int) -> list[ReportEvent]:
    """One page of the public timeline's entries in the window, oldest first.

    Only ``public`` events: an SKPD's internal notes never leave geo_klik. Each is annotated
    ``status_after`` and carries its report (code, status, category) and photos.
    """
    events = ReportEvent.objects.filter(public=True, created_at__gte=where.start)
    if where.end is not None:
        events = events.filter(created_at__lte=where.end)
    if where.ids:
        events = events.filter(report__tracking_code__in=where.ids)
    page = (
        events.annotate(status_after=status_after())
        .select_related("report__category", "agency")
        .only(
            "id",
            "kind",
            "status_to",
            "note",
            "created_at",
            "report__id",
            "report__tracking_code",
            "report__status",
            "report__category__code",
            "report__category__sensitive",
            "agency__name_id",
            "agency__name_en",
        )
        .prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.order_by("id")))
        .order_by("created_at", "id")[offset : offset + limit]
    )
    return list(page)


def own_request(api_key: ApiKey, raw_id: str) -> tuple[Report | None, bool]:
    """(the request named, whether this key filed it); (None, False) for an unknown id."""
    tracking_code = report_queries.normalize_tracking_code(raw_id)
    if tracking_code is None:
        return None, False
    report = Report.objects.filter(tracking_code=tracking_code).select_related("open311").first()
    if report is None:
        return None, False
    try:
        filed_by = report.open311.api_key_id
    except ServiceRequest.DoesNotExist:
        return report, False
    return report, filed_by == api_key.pk


def update_receipt_event(api_key: ApiKey, external_id: str) -> ReportEvent | None:
    """The timeline entry a client's update (its ``update_id_ext``) already became, if any."""
    receipt = (
        UpdateReceipt.objects.filter(api_key=api_key, external_id=external_id)
        .select_related("event")
        .first()
    )
    return None if receipt is None else receipt.event
