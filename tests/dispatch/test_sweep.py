"""The sweep queues again reports left unrouted, and two sweeps never claim the same one."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from geo_klik.dispatch import tasks
from geo_klik.dispatch.actions import routes
from geo_klik.reports.models import Report
from tests.dispatch.conftest import MakeReport


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Report ids the sweep hands to the broker (recorded instead of sent to Redis)."""
    sent: list[int] = []
    lock = threading.Lock()

    def record(report_ids: list[int]) -> int:
        with lock:
            sent.extend(report_ids)
        return len(report_ids)

    monkeypatch.setattr(routes, "enqueue_routing", record)
    redis.Redis.from_url(settings.REDIS_URL).set(routes.BROKER_MARKER_KEY, "1")  # not restarted
    return sent


def age(report: Report, seconds: float) -> None:
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


@pytest.mark.usefixtures("tiny_city")
class TestSweep:
    def test_it_queues_only_reports_unrouted_for_too_long(
        self, make_report: MakeReport, queued: list[int]
    ) -> None:
        stale = make_report(-0.005, 100.005, "garbage")
        fresh = make_report(-0.005, 100.005, "garbage")
        routed = make_report(-0.005, 100.005, "garbage", routed_at=timezone.now())
        for report in (stale, routed):
            age(report, 120)

        assert tasks.sweep_unrouted_reports() == 1

        assert queued == [stale.pk]
        stale.refresh_from_db()
        assert stale.routing_enqueued_at is not None
        assert fresh.pk not in queued

    def test_it_waits_before_queueing_a_report_again(
        self, make_report: MakeReport, queued: list[int]
    ) -> None:
        stale = make_report(-0.005, 100.005, "garbage")
        age(stale, 120)

        routes.requeue_unrouted_reports(older_than_s=30)
        routes.requeue_unrouted_reports(older_than_s=30)

        assert queued == [stale.pk]

    def test_it_queues_at_once_a_report_the_broker_refused(
        self, make_report: MakeReport, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Redis down at intake: the report must not wait ROUTING_SWEEP_AFTER_S once it is back.
        refused = make_report(-0.005, 100.005, "garbage")
        fresh = make_report(-0.005, 100.005, "garbage")

        def broker_down(*args: object, **kwargs: object) -> None:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(tasks.route_report, "apply_async", broker_down)
        assert routes.enqueue_routing([refused.pk]) == 0

        sent: list[int] = []
        monkeypatch.setattr(
            tasks.route_report, "apply_async", lambda args, kwargs=None, **kw: sent.append(args[0])
        )
        assert tasks.sweep_unrouted_reports() == 1
        assert sent == [refused.pk]
        assert fresh.pk not in sent
        refused.refresh_from_db()
        assert refused.routing_enqueued_at is not None
        assert refused.routing_enqueued_at > routes.NOT_QUEUED

    def test_it_queues_every_unrouted_report_once_after_redis_started_empty(
        self, make_report: MakeReport, queued: list[int]
    ) -> None:
        # Redis keeps nothing across a restart: the routing tasks queued in it are gone.
        fresh = make_report(-0.005, 100.005, "garbage")
        redis.Redis.from_url(settings.REDIS_URL).delete(routes.BROKER_MARKER_KEY)
        assert tasks.sweep_unrouted_reports() == 1
        assert queued == [fresh.pk]
        assert tasks.sweep_unrouted_reports() == 0  # once


@pytest.mark.django_db(transaction=True)
def test_it_never_lets_two_concurrent_sweeps_claim_the_same_report(
    tiny_city: object,
    make_report: MakeReport,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reports = [make_report(-0.005, 100.005, "garbage") for _ in range(10)]
    for report in reports:
        age(report, 120)
    real_now = timezone.now

    def slow_now() -> datetime:
        # Inside the claiming transaction, hold the row locks a while so the sweeps overlap.
        if connection.in_atomic_block:
            time.sleep(0.5)
        return real_now()

    monkeypatch.setattr("django.utils.timezone.now", slow_now)
    start = threading.Barrier(2)
    claimed: dict[str, int] = {}

    def sweep(name: str) -> None:
        try:
            start.wait()
            claimed[name] = routes.requeue_unrouted_reports(older_than_s=30, limit=6)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(claimed.values()) == [4, 6]  # the second sweep got only the rest
    assert sorted(queued) == sorted(r.pk for r in reports)  # each claimed exactly once
