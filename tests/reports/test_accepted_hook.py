"""The intake announces accepted reports through one signal, sent after commit; dispatch routes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from geo_klik.dispatch import receivers
from geo_klik.dispatch.actions import routes
from geo_klik.reports import actions, signals
from geo_klik.reports.models import Category, Report
from tests.reports.conftest import TINY_LAT, TINY_LON


class Heard:
    """A receiver that records what it was told."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, sender: object, *, report_ids: list[int], **kwargs: Any) -> None:
        self.calls.append(list(report_ids))


@pytest.fixture
def heard() -> Iterator[Heard]:
    receiver = Heard()
    signals.report_accepted.connect(receiver, weak=False)
    yield receiver
    signals.report_accepted.disconnect(receiver)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """What dispatch queued for routing, instead of the broker."""
    calls: list[list[int]] = []

    def enqueue_routing(report_ids: list[int]) -> int:
        calls.append(report_ids)
        return 0

    monkeypatch.setattr(routes, "enqueue_routing", enqueue_routing)
    return calls


def new_report(categories: dict[str, Category]) -> Report:
    report, _ = actions.create_report(
        category=categories["garbage"], lat=TINY_LAT, lon=TINY_LON, description="Sampah"
    )
    return report


def test_it_announces_a_report_once_after_commit(
    categories: dict[str, Category],
    heard: Heard,
    queued: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = new_report(categories)
        assert heard.calls == []  # nothing before the commit
    assert heard.calls == [[report.pk]]
    assert queued == [[report.pk]]  # dispatch queued its routing


def test_it_announces_nothing_when_the_intake_rolls_back(
    categories: dict[str, Category],
    heard: Heard,
    queued: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_report(categories)
        raise RuntimeError("the caller's transaction fails after the intake")
    assert heard.calls == [] and queued == []
    assert not Report.objects.exists()


def test_a_retry_under_the_same_key_is_not_announced_again(
    categories: dict[str, Category],
    heard: Heard,
    queued: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            actions.create_report(
                category=categories["garbage"],
                lat=TINY_LAT,
                lon=TINY_LON,
                description="Sampah",
                idempotency_key=key,
            )
    assert len(heard.calls) == 1 and len(queued) == 1


def test_a_failing_receiver_never_fails_an_accepted_report(
    categories: dict[str, Category],
    queued: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(sender: object, **kwargs: Any) -> None:
        raise ConnectionError("a listener's service is down")

    signals.report_accepted.connect(broken, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = new_report(categories)
    finally:
        signals.report_accepted.disconnect(broken)
    assert Report.objects.filter(pk=report.pk).exists()
    assert queued == [[report.pk]]  # dispatch still heard it


def test_dispatch_is_the_listener() -> None:
    connected = [entry[1]() for entry in signals.report_accepted.receivers]
    assert receivers.route_accepted_reports in connected
