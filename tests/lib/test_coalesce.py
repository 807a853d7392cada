"""Reads that arrive together share one computation, never one that started before they asked."""

from __future__ import annotations

import threading
import time

import pytest

from geo_klik.lib import coalesce


def test_it_shares_one_computation_among_callers_that_arrive_while_another_runs() -> None:
    rounds = coalesce.Rounds()
    first_running = threading.Event()
    release = threading.Event()
    started: list[float] = []

    def compute() -> float:
        started.append(time.monotonic())
        if len(started) == 1:
            first_running.set()
            release.wait(5)
        return started[-1]

    answers: dict[str, float] = {}
    asked: dict[str, float] = {}

    def call(name: str) -> None:
        asked[name] = time.monotonic()
        answers[name] = rounds.run("queue", compute)

    first = threading.Thread(target=call, args=("first",))
    first.start()
    assert first_running.wait(5)
    later = [threading.Thread(target=call, args=(f"later{i}",)) for i in range(8)]
    for thread in later:
        thread.start()
    time.sleep(0.2)  # all eight are waiting for the running round to end
    release.set()
    for thread in [first, *later]:
        thread.join(5)

    assert rounds.computations == 2  # nine callers, two computations
    for name, answer in answers.items():
        assert answer >= asked[name]  # computed after the caller asked: never an older answer


def test_it_never_shares_between_keys() -> None:
    rounds = coalesce.Rounds()
    assert rounds.run(("agency", 1), lambda: "one") == "one"
    assert rounds.run(("agency", 2), lambda: "two") == "two"
    assert rounds.computations == 2


def test_it_gives_every_caller_of_a_failed_round_the_error() -> None:
    rounds = coalesce.Rounds()

    def broken() -> None:
        raise ValueError("database unreachable")

    with pytest.raises(ValueError):
        rounds.run("queue", broken)
    assert rounds.run("queue", lambda: "back") == "back"  # a failure is not remembered
