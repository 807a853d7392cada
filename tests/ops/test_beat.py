"""Celery beat sends again a task that was due while Redis was down, instead of dropping it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.beat import ScheduleEntry
from celery.schedules import schedule
from kombu.exceptions import OperationalError

from geo_klik import celery


class BrokerDownScheduler(celery.RetryingScheduler):
    """Publishing fails while ``down`` (Redis killed); ``sent`` lists what reached the broker."""

    down = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)

    def apply_async(  # type: ignore[override]
        self, entry: ScheduleEntry, producer: Any = None, **kwargs: Any
    ) -> None:
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append(str(entry.name))


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[BrokerDownScheduler]:
    scheduler = BrokerDownScheduler(app=celery.app, schedule_filename=str(tmp_path / "beat"))
    yield scheduler
    scheduler.close()


def test_it_is_the_scheduler_beat_runs_with() -> None:
    assert celery.app.conf.beat_scheduler == "geo_klik.celery:RetryingScheduler"


def test_it_sends_a_task_due_while_the_broker_was_down_once_it_is_back(
    scheduler: BrokerDownScheduler,
) -> None:
    sweep = ScheduleEntry(name="sweep", task="x.sweep", schedule=schedule(10.0), app=celery.app)
    scheduler.apply_entry(sweep)
    scheduler.apply_entry(sweep)  # due again while still down: sent once when it is back
    assert scheduler.tick() <= 1.0  # ticks every second while something waits
    assert scheduler.sent == []
    scheduler.down = False
    scheduler.tick()
    assert scheduler.sent == ["sweep"]
    assert scheduler.unsent == {}
