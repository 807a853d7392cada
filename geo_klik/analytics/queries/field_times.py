"""Field units' response times per SKPD: dispatch to arrival, arrival to resolution (NFPA 1225).

Read from the units' assignments (``dispatch.unit_queries.response_times``, exact percentiles)
for the filter's period and SKPD; like the other SKPD figures, only an SKPD with at least
``MIN_REPORTS_PER_SKPD`` arrivals in the period is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo_klik.agencies.models import Agency
from geo_klik.analytics.filters import ReportFilter
from geo_klik.analytics.queries.facts import MIN_REPORTS_PER_SKPD
from geo_klik.dispatch import unit_queries


@dataclass(frozen=True)
class UnitTimes:
    """One SKPD's unit response times over the period, in minutes (None: no case)."""

    agency: str
    agency_name: str
    arrivals: int
    arrival_p50_min: float | None
    arrival_p90_min: float | None
    resolutions: int
    resolution_p50_min: float | None
    resolution_p90_min: float | None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def unit_response_times(where: ReportFilter) -> list[UnitTimes]:
    """Per SKPD (by name), the units dispatched in the period: median and p90 times."""
    agency_ids = None
    if where.agencies:
        agency_ids = list(
            Agency.objects.filter(code__in=where.agencies).values_list("pk", flat=True)
        )
    found = unit_queries.response_times(
        start=where.start_at, end=where.end_before, agency_ids=agency_ids
    )
    names = {
        a.pk: a
        for a in Agency.objects.filter(pk__in=found).only("pk", "code", "name_id", "name_en")
    }
    rows = [
        UnitTimes(
            agency=names[t.agency_id].code,
            agency_name=str(names[t.agency_id]),
            arrivals=t.arrivals,
            arrival_p50_min=_minutes(t.arrival_p50_s),
            arrival_p90_min=_minutes(t.arrival_p90_s),
            resolutions=t.resolutions,
            resolution_p50_min=_minutes(t.resolution_p50_s),
            resolution_p90_min=_minutes(t.resolution_p90_s),
        )
        for t in found.values()
        if t.arrivals >= MIN_REPORTS_PER_SKPD
    ]
    return sorted(rows, key=lambda r: r.agency_name)
