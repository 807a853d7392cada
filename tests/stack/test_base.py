"""stack.base.PrivateServer: what PostgreSQL, PgBouncer and Redis share (port, pid file, stop)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import stack.base


class Daemon(stack.base.PrivateServer):
    name = "daemon"
    pid_file_name = "daemon.pid"
    base_port = 40000


def test_it_counts_as_running_only_while_the_pid_file_names_a_live_process(
    tmp_path: Path,
) -> None:
    server = Daemon(tmp_path)
    server.dir.mkdir()
    assert server.running_port() is None  # nothing yet
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        server.pid_file.write_text(f"{child.pid}\n")
        assert server.running_port() is None, "no port file: never started here"
        server.port_file.write_text("40123\n")
        assert server.running_port() == 40123
        server.stop()
        assert child.wait(timeout=5) == -15  # SIGTERM
        assert server.running_port() is None
    finally:
        child.kill()
    server.pid_file.write_text("not a pid\n")
    assert server.running_port() is None
    server.stop()  # nothing to stop: no error


def test_it_waits_for_the_pid_file_after_the_server_answers(tmp_path: Path) -> None:
    """Daemons listen before they write their pid file; started means both."""
    server = Daemon(tmp_path)
    server.dir.mkdir()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    late = threading.Timer(0.4, lambda: server.pid_file.write_text(f"{child.pid}\n"))
    try:
        late.start()
        assert server.wait_until_running(40124, lambda port: True, what="Daemon") == 40124
        assert server.pid_file.exists(), "returned before the pid file was written"
        assert server.running_port() == 40124
    finally:
        late.cancel()
        child.kill()
        child.wait()


def test_it_gives_up_on_a_server_that_never_answers(tmp_path: Path) -> None:
    server = Daemon(tmp_path)
    server.dir.mkdir()
    with pytest.raises(stack.base.StackError, match=r"Daemon did not answer within 0.3 s"):
        server.wait_until_running(40125, lambda port: False, what="Daemon", timeout_s=0.3)
