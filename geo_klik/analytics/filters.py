"""The planner's filter (period, categories, status, SKPD), read from a query string.

One ``ReportFilter`` drives every figure, map layer and export of a page, so an export holds
exactly the reports the figures counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.utils import timezone

from geo_klik.reports.models import Report

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366


class QueryParams(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class ReportFilter:
    """Reports accepted from ``start`` to ``end`` (local dates, both included), and more."""

    start: date
    end: date
    categories: tuple[str, ...] = ()  # Category.code; empty means all
    statuses: tuple[str, ...] = ()  # Report.Status; empty means all
    agencies: tuple[str, ...] = ()  # Agency.code of the primary SKPD; empty means all
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (exclusive upper bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def as_query(self) -> dict[str, Any]:
        """The filter as query-string parameters (for links to exports and JSON endpoints)."""
        return {
            "dari": self.start.isoformat(),
            "sampai": self.end.isoformat(),
            "kategori": list(self.categories),
            "status": list(self.statuses),
            "skpd": list(self.agencies),
        }


def last_days(days: int, *, today: date | None = None, **more: Any) -> ReportFilter:
    """The last ``days`` days up to today (local), both included."""
    today = today or timezone.localdate()
    return ReportFilter(start=today - timedelta(days=days - 1), end=today, **more)


def from_query(
    params: QueryParams | Mapping[str, Any], *, today: date | None = None
) -> ReportFilter:
    """Parse ``dari``/``sampai`` (YYYY-MM-DD), ``kategori``, ``status``, ``skpd`` (repeatable).

    Unreadable values fall back to the default (the last 30 days) and are named in ``errors``.
    """
    today = today or timezone.localdate()
    errors: list[str] = []
    end = _date(params.get("sampai"), today, "sampai", errors)
    start = _date(params.get("dari"), end - timedelta(days=DEFAULT_DAYS - 1), "dari", errors)
    if start > end:
        errors.append("dari")
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if (end - start).days > MAX_DAYS:
        errors.append("dari")
        start = end - timedelta(days=MAX_DAYS)
    statuses = tuple(s for s in _list(params, "status") if s in Report.Status.values)
    return ReportFilter(
        start=start,
        end=end,
        categories=_list(params, "kategori"),
        statuses=statuses,
        agencies=_list(params, "skpd"),
        errors=tuple(errors),
    )


def _date(raw: Any, default: date, name: str, errors: list[str]) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors.append(name)
        return default


def _list(params: QueryParams | Mapping[str, Any], name: str) -> tuple[str, ...]:
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist else params.get(name) or []
    if isinstance(values, str):
        values = [values]
    items = (part.strip() for value in values for part in str(value).split(","))
    return tuple(sorted({item for item in items if item}))
