"""The planner figures on a hand-checkable history of the tiny city."""

from __future__ import annotations

from datetime import timedelta

import pytest

from geo_klik.analytics import filters, queries
from tests.analytics.conftest import BARAT, NOW, TIMUR, History

pytestmark = pytest.mark.django_db

# About 10 m apart in latitude: 0.0001° is 11 m.
NEAR_BARAT = [(BARAT[0] + i * 0.0001, BARAT[1]) for i in range(8)]


def week() -> filters.ReportFilter:
    return filters.last_days(7)


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
    assert pupr.ack_p50_h == 6.5
    assert pupr.ack_p90_h == pytest.approx(10.9)
    assert pupr.resolve_p50_h == 65.0
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
