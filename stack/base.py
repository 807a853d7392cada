"""What every private server shares: free ports, pid files, a directory the servers' user owns."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"


class StackError(Exception):
    """The local stack cannot be brought up; the message says what to do."""


def log(message: str) -> None:
    print(f"[geo_klik] {message}", flush=True)


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(saved: Path, base: int) -> int:
    """The port used last time if it is still free, else the first free one from `base`."""
    with contextlib.suppress(ValueError, OSError):
        port = int(saved.read_text().strip())
        if port_is_free(port):
            return port
    for port in range(base, base + 200):
        if port_is_free(port):
            return port
    raise StackError(f"no free loopback port in {base}-{base + 199}")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def listens(port: int) -> bool:
    """Something accepts TCP connections on the loopback ``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def run_quiet(cmd: list[str], *, what: str, timeout_s: float = 120) -> None:
    result = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout_s, start_new_session=True
    )
    if result.returncode != 0:
        raise StackError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def as_server_user(cmd: list[str]) -> list[str]:
    """``cmd`` run by the `postgres` user when we are root (initdb and PgBouncer refuse root)."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def prepare_server_dir(path: Path) -> None:
    """Create ``path`` owned by the servers' user, moving it aside if that user can't reach it."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir()
    if os.geteuid() != 0:
        return
    shutil.chown(path, "postgres", "postgres")
    reachable = subprocess.run(as_server_user(["test", "-w", str(path)]), check=False)
    if reachable.returncode != 0:
        # A checkout under a private home directory: postgres cannot traverse its parents.
        # Keep the directory in /var/tmp and point var/<name> at it.
        digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
        elsewhere = Path("/var/tmp") / f"geo_klik-{digest}" / path.name  # noqa: S108 - root-made
        elsewhere.mkdir(parents=True, exist_ok=True)
        shutil.chown(elsewhere, "postgres", "postgres")
        path.rmdir()
        path.symlink_to(elsewhere)
        log(f"{path} -> {elsewhere} (the postgres user cannot reach {path.parent})")


class PrivateServer:
    """A server of this checkout in var/<name>: its directory, port file and pid file.

    The port it last used is kept in var/<name>/port, so a restart keeps its URL when it can.
    Subclasses name the directory, the pid file and the first port to try; a server counts as
    running while the process of its pid file lives.
    """

    name = ""  # the directory under var/
    pid_file_name = ""
    base_port = 0

    def __init__(self, var: Path) -> None:
        self.dir = var / self.name
        self.port_file = self.dir / "port"

    @property
    def home(self) -> Path:
        # Resolved: var/<name> may be a symlink the postgres user cannot follow from its parents.
        return self.dir.resolve()

    @property
    def pid_file(self) -> Path:
        return self.home / self.pid_file_name

    def next_port(self) -> int:
        return pick_port(self.port_file, self.base_port)

    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def running_port(self) -> int | None:
        pid = self.pid()
        try:
            port = int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return port if pid is not None and pid_alive(pid) else None

    def wait_until_running(
        self, port: int, answers: Callable[[int], bool], *, what: str, timeout_s: float = 20
    ) -> int:
        """``port`` once the server answers there *and* its pid file is written.

        Daemons (PgBouncer, Redis) open their socket before they write their pid file, and
        running_port() (what the next lease asks) needs both.
        """
        self.port_file.write_text(f"{port}\n")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.running_port() == port and answers(port):
                return port
            time.sleep(0.05)
        raise StackError(
            f"{what} did not answer within {timeout_s:g} s (see var/{self.name}/{self.name}.log)"
        )

    def stop(self) -> None:
        """SIGTERM the process of the pid file and wait (up to 10 s) for it to end."""
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
