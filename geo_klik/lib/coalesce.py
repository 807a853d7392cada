"""Identical reads that arrive together share one computation (per process, per key).

When 50 consoles hear of the same change at once they all re-read the same queue. ``Rounds.run``
lets the first of them compute it and the others wait for that answer, but only for a
computation that *started after they arrived*, so no caller ever gets an answer older than its
request: per key, at most one round runs and one waits to start; callers arriving while a round
runs join the waiting one, which starts when the running one ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

# A caller waits at most this long for a round it joined, then computes on its own.
JOIN_TIMEOUT_S = 30.0


@dataclass
class _Round:
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


@dataclass
class _Key:
    running: _Round | None = None
    waiting: _Round | None = None


class Rounds:
    """Per-key rounds of one computation shared by the callers that joined it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[Hashable, _Key] = {}
        self.computations = 0  # how many rounds ran (for tests and the curious)

    def run(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            state = self._keys.setdefault(key, _Key())
            if state.waiting is not None:
                joined, leader = state.waiting, False
            else:
                joined, leader = _Round(), True
                before = state.running
                if before is None:
                    state.running = joined
                else:
                    state.waiting = joined
        if not leader:
            if not joined.done.wait(JOIN_TIMEOUT_S):
                return compute()
            if joined.error is not None:
                raise joined.error
            return joined.result
        if before is not None:
            before.done.wait(JOIN_TIMEOUT_S)
            with self._lock:
                state.running, state.waiting = joined, None
        try:
            joined.result = compute()
        except BaseException as exc:
            joined.error = exc
            raise
        finally:
            with self._lock:
                self.computations += 1
                if state.running is joined:
                    state.running = None
                if state.running is None and state.waiting is None:
                    self._keys.pop(key, None)
            joined.done.set()
        return joined.result
