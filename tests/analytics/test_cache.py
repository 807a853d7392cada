"""The planners' figures: one shared copy per refresh, pre-computed for the default views."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from geo_klik.analytics import actions, filters, queries, tasks
from tests.analytics.conftest import BARAT, NOW, History


def fact_queries(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "analytics_" in q["sql"] and "analytics_factsrefresh" not in q["sql"]
    ]


def test_the_periodic_refresh_precomputes_the_default_views(history: History) -> None:
    history.add(BARAT, "garbage", created=NOW)
    history.add(BARAT, "garbage", created=NOW)
    # The task refreshes concurrently, which a test transaction cannot: refresh as tests do.
    actions.refresh_facts()
    actions.warm_default_figures()
    for days in actions.WARM_DAYS:
        with CaptureQueriesContext(connection) as captured:
            board = queries.dashboard(filters.last_days(days))
        assert fact_queries(captured) == []  # every figure came from the shared cache
        assert sum(c.reports for c in board.counts) == 2


def test_a_new_refresh_is_a_new_generation(history: History) -> None:
    history.add(BARAT, "garbage", created=NOW)
    actions.refresh_facts()
    assert sum(c.reports for c in queries.kelurahan_counts(filters.last_days(30))) == 1
    history.add(BARAT, "garbage", created=NOW)
    actions.refresh_facts()
    assert sum(c.reports for c in queries.kelurahan_counts(filters.last_days(30))) == 2


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "analytics": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
)
def test_the_figures_are_computed_when_redis_is_down(history: History) -> None:
    history.add(BARAT, "garbage", created=NOW)
    actions.refresh_facts()
    assert sum(c.reports for c in queries.kelurahan_counts(filters.last_days(30))) == 1
    actions.warm_default_figures()  # harmless


def test_the_task_refreshes_then_warms(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(actions, "refresh_facts", lambda **kw: calls.append(f"refresh {kw}"))
    monkeypatch.setattr(actions, "warm_default_figures", lambda: calls.append("warm"))
    tasks.refresh_facts()
    assert calls == ["refresh {'concurrently': True}", "warm"]
