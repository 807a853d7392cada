"""GET /api/staff/stats/: city-wide counts (dispatch.queries.city_stats), nothing per report."""

from __future__ import annotations

from typing import Any

from geo_klik.dispatch import queries
from geo_klik.reports.models import Report
from tests.personas import BARAT, TIMUR, Personas


def test_it_counts_reports_by_status_and_category_and_primary_assignments_by_skpd(
    personas: Personas, routed_report: Any
) -> None:
    routed_report(BARAT, "road_damage")
    routed_report(BARAT, "road_damage")
    rejected = routed_report(TIMUR, "crime")
    Report.objects.filter(pk=rejected.pk).update(status=Report.Status.REJECTED)

    stats = queries.city_stats()

    assert stats["by_category"] == {"road_damage": 2, "crime": 1}
    assert stats["by_status"] == {Report.Status.ROUTED: 2, Report.Status.REJECTED: 1}
    assert stats["by_agency"] == {"dinas-pupr": 2, "polsek-timur": 1}
    response = personas.client(personas.planner).get("/api/staff/stats/")
    assert response.status_code == 200
    assert response.json() == {
        "by_status": {"routed": 2, "rejected": 1},
        "by_category": {"road_damage": 2, "crime": 1},
        "by_agency": {"dinas-pupr": 2, "polsek-timur": 1},
    }


def test_it_answers_empty_counts_before_any_report(personas: Personas) -> None:
    assert queries.city_stats() == {"by_status": {}, "by_category": {}, "by_agency": {}}
