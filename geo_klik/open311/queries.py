"""Reads of the Open311 API: services, API keys, and the public view of service requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from geo_klik.agencies.models import Agency
from geo_klik.dispatch.models import Assignment
from geo_klik.open311.models import ApiKey, ServiceRequest, hash_key
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category, Report, ReportPhoto


def active_services() -> QuerySet[Category]:
    return report_queries.active_categories()


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
class PublicRequest:
    """A report with what its public Open311 view needs, read in a fixed number of queries."""

    report: Report
    agency: Agency | None
    photo: ReportPhoto | None
    client_media_url: str


def _with_public_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    primary = Assignment.objects.filter(active=True, role=Assignment.Role.PRIMARY).select_related(
        "agency"
    )
    return reports.select_related("category", "kelurahan__kecamatan", "open311").prefetch_related(
        Prefetch("assignments", queryset=primary, to_attr="open311_primary"),
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("id"), to_attr="open311_photos"),
    )


def _public(report: Report) -> PublicRequest:
    primary: list[Assignment] = getattr(report, "open311_primary", [])
    photos: list[ReportPhoto] = getattr(report, "open311_photos", [])
    try:
        client_media_url = report.open311.media_url
    except ServiceRequest.DoesNotExist:
        client_media_url = ""
    return PublicRequest(
        report=report,
        agency=primary[0].agency if primary else None,
        photo=photos[0] if photos else None,
        client_media_url=client_media_url,
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


def public_requests(where: RequestFilter, *, offset: int, limit: int) -> list[PublicRequest]:
    """One page of matching requests, ready to publish."""
    page = _with_public_relations(matching_reports(where))[offset : offset + limit]
    return [_public(report) for report in page]


def public_request(raw_id: str) -> PublicRequest | None:
    """The request with this id (a tracking code, as a resident may have typed it)."""
    tracking_code = report_queries.normalize_tracking_code(raw_id)
    if tracking_code is None:
        return None
    report = _with_public_relations(Report.objects.filter(tracking_code=tracking_code)).first()
    return None if report is None else _public(report)
