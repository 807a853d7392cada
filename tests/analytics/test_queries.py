"""The planner figures on a hand-checkable history of the tiny city."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from geo_klik.analytics import filters, queries
from geo_klik.analytics.queries import areas, performance
from tests.analytics.conftest import BARAT, NOW, TIMUR, History

pytestmark = pytest.mark.django_db

# About 10 m apart in latitude: 0.0001° is 11 m.
NEAR_BARAT = [(BARAT[0] + i * 0.0001, BARAT[1]) for i in range(8)]


def week() -> filters.ReportFilter:
    return filters.last_days(7)


def within_bound(exact_h: float) -> Any:
    """The histogram's bound around an exact time in hours, and the rounding to 0.1 h."""
    bound_s = max(
        performance.DURATION_ERROR * exact_h * 3600,
        performance.DURATION_ERROR_UNDER_FIRST_BUCKET_S,
    )
    return pytest.approx(exact_h, abs=bound_s / 3600 + 0.05)


def test_it_bins_every_report_once(history: History) -> None:
    for i in range(5):
        history.add(NEAR_BARAT[i], "road_damage")
    history.add(TIMUR, "crime")
    history.refresh()
    bins = queries.heat_bins(week())
    assert sum(n for *_, n in bins) == 6
    assert len(bins) == 2  # the five Barat reports lie within one 100 m cell


def test_it_counts_reports_per_kelurahan_and_km2(history: History) -> None:
    for _ in range(3):
        history.add(BARAT, "road_damage")
    history.add(TIMUR, "crime")
    history.refresh()
    counts = {c.name: c for c in queries.kelurahan_counts(week())}
    assert counts["Barat Utara"].reports == 3
    assert counts["Timur Utara"].reports == 1
    assert counts["Barat Selatan"].reports == 0
    area = counts["Barat Utara"].area_km2
    assert 1.1 < area < 1.3  # 0.01° squared on the equator
    assert counts["Barat Utara"].per_km2 == pytest.approx(3 / area, abs=0.1)


def test_it_leaves_out_reports_outside_the_period(history: History) -> None:
    history.add(BARAT, "road_damage", created=NOW - timedelta(days=40))
    history.add(BARAT, "road_damage")
    history.refresh()
    assert sum(c.reports for c in queries.kelurahan_counts(filters.last_days(30))) == 1
    assert sum(c.reports for c in queries.kelurahan_counts(filters.last_days(60))) == 2


def test_it_applies_category_status_and_skpd_filters(history: History) -> None:
    history.add(BARAT, "road_damage", ack_h=1, resolve_h=5)
    history.add(BARAT, "road_damage")
    history.add(TIMUR, "crime")
    history.refresh()
    today = NOW.date()

    def total(**more: object) -> int:
        where = filters.last_days(7, today=today, **more)
        return sum(c.reports for c in queries.kelurahan_counts(where))

    assert total() == 3
    assert total(categories=("crime",)) == 1
    assert total(statuses=("resolved",)) == 1
    assert total(agencies=("dinas-pupr",)) == 2
    assert total(agencies=("polsek-timur",), categories=("road_damage",)) == 0


def test_it_finds_hotspots_whose_counts_add_up(history: History) -> None:
    for where in NEAR_BARAT[:6]:
        history.add(where, "road_damage")
    for where in NEAR_BARAT[:5]:
        history.add(where, "garbage")  # same place, another category: its own cluster
    for i in range(4):  # four in Timur: below the minimum of five
        history.add((TIMUR[0] + i * 0.0001, TIMUR[1]), "crime")
    history.add(NEAR_BARAT[6], "road_damage", created=NOW - timedelta(days=120))  # too old
    history.refresh()
    spots = queries.hotspots(week())
    assert [(s.category, s.reports) for s in spots] == [("road_damage", 6), ("garbage", 5)]
    assert all(s.kelurahan == "Barat Utara" for s in spots)
    assert sum(s.reports for s in spots) == 11
    assert abs(spots[0].lat - (BARAT[0] + 0.00025)) < 0.0001


def test_a_category_filter_keeps_exactly_that_categorys_hotspots(history: History) -> None:
    for where in NEAR_BARAT[:6]:
        history.add(where, "road_damage")
    for where in NEAR_BARAT[:5]:
        history.add(where, "garbage")
    history.refresh()
    garbage = filters.last_days(7, categories=("garbage",))
    # The clusters of all categories, filtered, equal the clusters computed for the one.
    computed_alone = areas._clusters(
        filters.last_days(90, categories=("garbage",)), eps_m=50.0, min_reports=5
    )
    assert queries.hotspots(garbage) == computed_alone
    assert [(s.category, s.reports) for s in computed_alone] == [("garbage", 5)]
    assert [s.category for s in queries.hotspots(week(), limit=1)] == ["road_damage"]
    # Every period ending today shares the 90 days' clusters.
    assert queries.hotspots(filters.last_days(365)) == queries.hotspots(week())


def test_it_does_not_chain_reports_further_apart_than_50_m(history: History) -> None:
    for i in range(5):  # 0.0006° is about 67 m
        history.add((BARAT[0] + i * 0.0006, BARAT[1]), "garbage")
    history.refresh()
    assert queries.hotspots(week()) == []


def test_it_measures_skpd_times_sla_reopen_and_satisfaction(history: History) -> None:
    # Dinas PUPR: 12 road damage reports acknowledged after 1..12 h (target 4 h) and
    # resolved after 10..120 h (target 14 days); two reopened; ratings 5 and 3.
    for i in range(1, 13):
        history.add(
            BARAT,
            "road_damage",
            ack_h=i,
            resolve_h=10 * i,
            reopened=i in (1, 2),
            stars={1: 5, 2: 3}.get(i),
        )
    history.refresh()
    [pupr] = queries.skpd_performance(week())
    assert pupr.agency == "dinas-pupr"
    assert pupr.reports == 12
    # Exact (percentile_cont): 6.5, 10.9 and 65 h; from the duration histogram, within its bound.
    assert pupr.ack_p50_h == within_bound(6.5)
    assert pupr.ack_p90_h == within_bound(10.9)
    assert pupr.resolve_p50_h == within_bound(65.0)
    assert pupr.ack_sla_pct == pytest.approx(100 * 4 / 12, abs=0.1)
    assert pupr.resolve_sla_pct == 100.0
    assert pupr.reopen_pct == pytest.approx(100 * 2 / 12, abs=0.1)
    assert pupr.satisfaction == 4.0
    assert pupr.ratings == 2
    assert pupr.backlog == 0
    assert [c.category for c in pupr.categories] == ["road_damage"]


def test_it_shows_only_skpd_with_at_least_ten_reports(history: History) -> None:
    for _ in range(10):
        history.add(BARAT, "road_damage", ack_h=1)
    for _ in range(9):
        history.add(TIMUR, "crime", ack_h=1)
    history.add(BARAT, "garbage")  # the Command Center: one report
    history.refresh()
    performance = queries.skpd_performance(week())
    assert [p.agency for p in performance] == ["dinas-pupr"]
    assert performance[0].backlog == 10
    assert queries.skpd_performance(week(), min_reports=9)[1].agency == "polsek-timur"
    assert set(queries.resolve_distribution(week())) <= {"dinas-pupr"}
    assert {t.agency for t in queries.skpd_trend(week())} == {"dinas-pupr"}


def test_it_hides_categories_below_ten_reports_within_an_skpd(history: History) -> None:
    for _ in range(10):
        history.add(BARAT, "road_damage", ack_h=1)
    for _ in range(3):
        history.add(BARAT, "flooding", ack_h=1)  # PUPR's other category, only three
    history.refresh()
    [pupr] = queries.skpd_performance(week())
    assert pupr.reports in (10, 13)
    assert [c.category for c in pupr.categories] == ["road_damage"]


def test_it_groups_weekly_bins_by_week(history: History) -> None:
    history.add(BARAT, "road_damage", created=NOW - timedelta(days=1))
    history.add(BARAT, "road_damage", created=NOW - timedelta(days=15))
    history.refresh()
    weeks = queries.weekly_heat_bins(filters.last_days(30))
    assert len(weeks) == 2
    assert sum(n for w in weeks for *_, n in w.bins) == 2


def test_it_recomputes_cached_figures_after_a_refresh(history: History) -> None:
    history.add(BARAT, "road_damage")
    history.refresh()
    assert sum(c.reports for c in queries.kelurahan_counts(week())) == 1
    history.add(BARAT, "road_damage")
    assert sum(c.reports for c in queries.kelurahan_counts(week())) == 1  # until refreshed
    history.refresh()
    assert sum(c.reports for c in queries.kelurahan_counts(week())) == 2


def test_it_reads_percentiles_within_the_stated_bound_of_the_exact_ones(
    history: History,
) -> None:
    # 60 reports over four months, times from seconds to weeks: Polsek Timur (crime), Dinas
    # PUPR (road damage) and the Command Center (garbage and flooding, two categories).
    rng = random.Random(7)  # noqa: S311 (reproducible synthetic times)
    for i in range(60):
        ack_h = rng.choice([0.004, 0.01, 0.3, 1, 2.5, 6, 30]) * rng.uniform(0.5, 1.5)
        history.add(
            TIMUR if i % 3 == 0 else BARAT,
            ("crime", "road_damage", "garbage" if i % 2 else "flooding")[i % 3],
            created=NOW - timedelta(days=rng.uniform(0, 120)),
            ack_h=ack_h,
            resolve_h=ack_h + rng.lognormvariate(3, 1.5),
        )
    history.refresh()
    where = filters.last_days(121)
    figures = queries.skpd_performance(where, min_reports=5)
    rows = list(figures) + [c for p in figures for c in p.categories]
    assert len(figures) == 3 and len(rows) == 7
    for row in rows:
        exact = exact_percentiles_h(where, row.agency, row.category)
        got = (row.ack_p50_h, row.ack_p90_h, row.resolve_p50_h, row.resolve_p90_h)
        assert got == tuple(within_bound(e) for e in exact), (row.agency, row.category)


def exact_percentiles_h(
    where: filters.ReportFilter, agency: str, category: str | None
) -> tuple[float, ...]:
    """percentile_cont over the fact view: the exact figures the histogram approximates."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.ack_s),
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.resolve_s)
            FROM analytics_report_facts f
            JOIN dispatch_agency a ON a.id = f.agency_id
            JOIN reports_category c ON c.id = f.category_id
            WHERE f.created_at >= %s AND f.created_at < %s AND a.code = %s
              AND (%s::text IS NULL OR c.code = %s)
            """,
            [where.start_at, where.end_before, agency, category, category],
        )
        ack, resolve = cursor.fetchone()
    return (ack[0] / 3600, ack[1] / 3600, resolve[0] / 3600, resolve[1] / 3600)


def test_it_spreads_resolved_reports_over_the_chart_buckets(history: History) -> None:
    for hours in (2, 10, 30, 100, 200, 400, 2, 3, 3.9, 1):
        history.add(BARAT, "road_damage", ack_h=0.5, resolve_h=hours)
    history.add(BARAT, "road_damage", ack_h=0.5)  # not resolved: in no bucket
    history.refresh()
    assert [b for b, _ in queries.RESOLVE_BUCKETS_H] == [4, 24, 72, 168, 336, None]
    assert queries.resolve_distribution(filters.last_days(30)) == {"dinas-pupr": [5, 1, 1, 1, 1, 1]}


def test_it_reads_whole_months_from_the_monthly_histograms_and_the_rest_by_day() -> None:
    from datetime import date

    def months(start: str, end: str) -> tuple[date, date]:
        where = filters.ReportFilter(start=date.fromisoformat(start), end=date.fromisoformat(end))
        return performance.whole_months(where)

    assert months("2026-01-15", "2026-04-10") == (date(2026, 2, 1), date(2026, 4, 1))
    assert months("2026-02-01", "2026-03-31") == (date(2026, 2, 1), date(2026, 4, 1))
    assert months("2025-12-31", "2026-01-31") == (date(2026, 1, 1), date(2026, 2, 1))
    assert months("2026-01-05", "2026-01-30") == (date(2026, 2, 1), date(2026, 2, 1))  # none
