"""Reads of area alerts: who matches a report (spatially), a subscriber's list, what to render."""

from __future__ import annotations

from datetime import datetime

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import F, Prefetch, Q, QuerySet

from geo_klik.alerts import credentials
from geo_klik.alerts.models import (
    MAX_RADIUS_M,
    AlertSubscription,
    AlertTrigger,
    Subscriber,
)
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo
from geo_klik.reports import queries as report_queries
from geo_klik.reports.models import Category, Report

# What rendering an alert reads of a report: never its point, description or reporter.
NEWS_FIELDS = (
    "tracking_code",
    "location",
    "category__name_id",
    "category__name_en",
    "category__sensitive",
    "kelurahan__name",
)


def report_for_matching(report_id: int) -> Report | None:
    """The report with its category and kelurahan id (no polygon), for ``matching``."""
    return (
        Report.objects.select_related("category")
        .only("location", "kelurahan_id", "category__sensitive", "category_id")
        .filter(pk=report_id)
        .first()
    )


def matching(trigger: AlertTrigger, report: Report) -> QuerySet[AlertSubscription]:
    """Confirmed subscriptions that want ``trigger``: its kind, the report's category, and an
    area holding the report (its kelurahan, or its *public* position within the radius).

    A sensitive category is matched at its public cell (``reports.queries.public_lat_lon``):
    a radius drawn around a crime's true point must not tell more than the map does. The
    radius test is ``ST_DWithin`` on geography (metres, on the spheroid), inclusive: a report
    exactly ``radius_m`` away matches. The 2 km ``dwithin`` beside it lets the GiST index of
    ``center`` narrow the rows (a per-row radius cannot use it).
    """
    lat, lon = report_queries.public_lat_lon(report)
    point = geo.point(lat, lon)
    wants = Q(new_reports=True) if trigger.kind == AlertTrigger.Kind.NEW else Q(resolutions=True)
    near = Q(
        center__dwithin=(point, D(m=MAX_RADIUS_M)),
        distance_m__lte=F("radius_m"),
    )
    area = near | Q(kelurahan_id=report.kelurahan_id) if report.kelurahan_id else near
    return (
        AlertSubscription.objects.filter(
            wants,
            confirmed_at__isnull=False,
            confirmed_at__lte=trigger.occurred_at,
            categories=report.category_id,
        )
        .alias(distance_m=Distance("center", point))
        .filter(area)
    )


def subscriber_for(credential: object) -> Subscriber | None:
    """The subscriber whose management key (or link token) ``credential`` is, else None."""
    if not isinstance(credential, str) or not 0 < len(credential) <= credentials.MAX_CREDENTIAL:
        return None
    subscriber_id = credentials.parse_link_token(credential)
    if subscriber_id is not None:
        found = Subscriber.objects.filter(pk=subscriber_id).first()
        if found is not None and credentials.is_link_token(found.pk, found.key_sha256, credential):
            return found
        return None
    return Subscriber.objects.filter(key_sha256=credentials.key_hash(credential)).first()


def subscriptions_of(subscriber: Subscriber) -> list[AlertSubscription]:
    """A subscriber's subscriptions, oldest first, with their categories and kelurahan name."""
    return list(
        AlertSubscription.objects.filter(subscriber=subscriber)
        .select_related("kelurahan")
        .defer("kelurahan__boundary", "kelurahan__label_point")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("sort_order")))
        .order_by("created_at", "id")
    )


def pending_emails(email: str, *, since: datetime) -> int:
    """Unconfirmed subscriptions for this address made since ``since`` (confirmation floods)."""
    return AlertSubscription.objects.filter(
        email__iexact=email, confirmed_at__isnull=True, created_at__gte=since
    ).count()


def news_reports(report_ids: list[int]) -> dict[int, Report]:
    """The reports an alert or digest names, with only what it may show."""
    rows = (
        Report.objects.filter(pk__in=report_ids)
        .select_related("category", "kelurahan")
        .only(*NEWS_FIELDS)
    )
    return {r.pk: r for r in rows}


def kelurahan_by_code(code: str) -> Kelurahan | None:
    return Kelurahan.objects.only("name", "code_kemendagri").filter(code_kemendagri=code).first()


def kelurahan_choices() -> list[dict[str, str]]:
    """Every kelurahan's code and name, by name (no polygons), for the page's picker."""
    rows = Kelurahan.objects.order_by("name").values("code_kemendagri", "name")
    return [{"code": r["code_kemendagri"], "name": r["name"]} for r in rows]
