"""Two operators claim the same report at the same moment: exactly one wins."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.models import Handling
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report
from tests.personas import BARAT, Personas


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_concurrent_claims_win(
    personas: Personas, routed_report: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = routed_report(BARAT, "road_damage")
    real_change_status = report_actions.change_status

    def slow_change_status(*args: Any, **kwargs: Any) -> Any:
        # Hold the row lock a while, so the other claim surely waits on it.
        time.sleep(0.3)
        return real_change_status(*args, **kwargs)

    monkeypatch.setattr(report_actions, "change_status", slow_change_status)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(name: str) -> None:
        user = getattr(personas, name)
        try:
            start.wait()
            workflow.acknowledge(report.pk, user=user)
            outcomes[name] = "won"
        except workflow.AlreadyClaimed:
            outcomes[name] = "already_claimed"
        except Exception as exc:  # anything else fails the test below
            outcomes[name] = repr(exc)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=claim, args=(n,)) for n in ("operator", "operator2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["already_claimed", "won"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    handling = Handling.objects.get(report=report)
    assert handling.claimed_by == getattr(personas, winner)
    report.refresh_from_db()
    assert report.status == Report.Status.ACKNOWLEDGED
    assert report.events.filter(status_to=Report.Status.ACKNOWLEDGED).count() == 1
