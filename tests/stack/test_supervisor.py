"""`make run`'s supervisor restarts a crashed child with back-off and stops on a crash loop."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import stack.supervisor

# A child that writes when it started, then exits with code 3 on its first `crash_first` runs
# and stays up afterwards.
CHILD = """
import pathlib, sys, time
starts = pathlib.Path(sys.argv[1])
with starts.open("a") as f:
    f.write(f"{time.monotonic()}\\n")
if len(starts.read_text().split()) <= int(sys.argv[2]):
    sys.exit(3)
time.sleep(60)
"""


@pytest.fixture
def supervisor() -> Iterator[stack.supervisor.Supervisor]:
    supervisor = stack.supervisor.Supervisor(
        dict(os.environ),
        backoff_start_s=0.4,
        backoff_max_s=5,
        crash_loop_limit=3,
        crash_loop_window_s=60,
    )
    yield supervisor
    supervisor.stop_children()  # whatever a test did, no child is left behind


def spawn(
    supervisor: stack.supervisor.Supervisor, name: str, starts: Path, *, crash_first: int
) -> None:
    supervisor.spawn(name, [sys.executable, "-c", CHILD, str(starts), str(crash_first)])


def stop_after(supervisor: stack.supervisor.Supervisor, *, delay_s: float) -> threading.Timer:
    timer = threading.Timer(delay_s, lambda: setattr(supervisor, "stopping", True))
    timer.start()
    return timer


def starts_of(path: Path) -> list[float]:
    return [float(line) for line in path.read_text().split()]


def test_it_restarts_a_crashed_child_with_back_off_and_logs_it(
    supervisor: stack.supervisor.Supervisor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spawn(supervisor, "worker", tmp_path / "worker", crash_first=2)
    spawn(supervisor, "web", tmp_path / "web", crash_first=0)
    stop_after(supervisor, delay_s=4)
    assert supervisor.wait() == 0
    worker = starts_of(tmp_path / "worker")
    assert len(worker) == 3
    # back-off 0.4 s after the first crash, 0.8 s after the second
    assert worker[1] - worker[0] >= 0.4
    assert worker[2] - worker[1] >= 0.8
    assert len(starts_of(tmp_path / "web")) == 1  # the others kept running
    out = capsys.readouterr().out
    assert "worker exited with code 3; restarting it in 0.4 s" in out
    assert "worker exited with code 3; restarting it in 0.8 s" in out
    assert "[geo_klik] worker: restarting" in out
    assert all(child.poll() is not None for child in supervisor.children.values())


def test_it_stops_everything_on_a_crash_loop(
    supervisor: stack.supervisor.Supervisor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spawn(supervisor, "beat", tmp_path / "beat", crash_first=100)
    spawn(supervisor, "web", tmp_path / "web", crash_first=0)
    timer = stop_after(supervisor, delay_s=30)  # bounded, should the crash loop not be seen
    started = time.monotonic()
    try:
        assert supervisor.wait() == 1
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert len(starts_of(tmp_path / "beat")) == 3
    assert "beat exited with code 3, 3 times in 60 s: crash loop" in capsys.readouterr().out
    web = supervisor.children["web"]
    assert web.poll() is not None  # the healthy child was stopped too


# A child that starts a grandchild in its own process group (as Celery's pool processes and
# uvicorn's workers are), writes the grandchild's pid, then waits.
PARENT = """
import pathlib, subprocess, sys, time
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
pathlib.Path(sys.argv[1]).write_text(str(grandchild.pid))
time.sleep(120)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed grandchild stays a zombie until its adopter (init) reaps it.
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def test_it_kills_what_a_killed_child_left_behind(
    supervisor: stack.supervisor.Supervisor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid_file = tmp_path / "grandchild"
    supervisor.spawn("worker", [sys.executable, "-c", PARENT, str(pid_file)])
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the child never started its grandchild"
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    os.kill(supervisor.children["worker"].pid, 9)  # the main process dies, its pool stays
    supervisor.children["worker"].wait()
    assert alive(grandchild)

    assert supervisor.check_child("worker", now=time.monotonic())

    deadline = time.monotonic() + 5
    while alive(grandchild):
        assert time.monotonic() < deadline, "the orphaned grandchild is still running"
        time.sleep(0.05)
    assert "worker: killed the processes it left behind" in capsys.readouterr().out
