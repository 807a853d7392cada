"""Reads of the KLIK intake: categories, and reports by their public or client handles."""

from __future__ import annotations

import re
import uuid

from django.db.models import Prefetch, QuerySet

from geo_klik.dispatch.models import Assignment, RoutingDecision
from geo_klik.reports.models import Category, Report

CATEGORY_CODE = re.compile(r"[a-z0-9_-]{1,40}")
TRACKING_CODE = re.compile(r"[0-9A-Z]{1,16}")
# Crockford's base32 reads look-alikes as digits, so a code copied by hand still matches.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


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


def _with_kelurahan(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("category", "kelurahan__kecamatan")


def report_by_idempotency_key(key: uuid.UUID) -> Report | None:
    return _with_kelurahan(Report.objects.filter(idempotency_key=key)).first()


def public_report(tracking_code: str) -> Report | None:
    """A report with what its public view shows: active assignments, current decision, photos."""
    code = normalize_tracking_code(tracking_code)
    if code is None:
        return None
    return (
        _with_kelurahan(Report.objects.filter(tracking_code=code))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(active=True)
                .select_related("agency", "jurisdiction_version__jurisdiction")
                .order_by("role", "agency__code"),
                to_attr="active_assignments",
            ),
            Prefetch(
                "routing_decisions",
                queryset=RoutingDecision.objects.filter(is_current=True),
                to_attr="current_decisions",
            ),
            "photos",
        )
        .first()
    )
