"""`make run`'s process supervisor: the servers in the foreground, restarted when they crash."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from types import FrameType

from stack import base


class Supervisor:
    """Runs the servers in the foreground and restarts a crashed one with back-off.

    One Ctrl-C (or SIGTERM) stops them all; so does a crash loop (``crash_loop_limit`` crashes of
    one child within ``crash_loop_window_s``), since restarting it again would not help.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        backoff_start_s: float = 1.0,
        backoff_max_s: float = 30.0,
        crash_loop_limit: int = 5,
        crash_loop_window_s: float = 60.0,
    ) -> None:
        self.env = env
        self.backoff_start_s = backoff_start_s
        self.backoff_max_s = backoff_max_s
        self.crash_loop_limit = crash_loop_limit
        self.crash_loop_window_s = crash_loop_window_s
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, list[str]] = {}
        self.crashes: dict[str, list[float]] = {}
        self.restart_at: dict[str, float] = {}
        self.stopping = False

    def spawn(self, name: str, cmd: list[str]) -> None:
        self.commands[name] = cmd
        # Own session: a Ctrl-C reaches only us, and we stop the children in order.
        self.children[name] = subprocess.Popen(
            cmd, env=self.env, cwd=base.ROOT, start_new_session=True
        )

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def wait(self) -> int:
        signal.signal(signal.SIGINT, self.handle_signal)
        signal.signal(signal.SIGTERM, self.handle_signal)
        exit_code = 0
        while not self.stopping:
            for name in list(self.children):
                if not self.check_child(name, now=time.monotonic()):
                    exit_code = 1
                    self.stopping = True
                    break
            time.sleep(0.2)
        self.stop_children()
        return exit_code

    def check_child(self, name: str, *, now: float) -> bool:
        """Restart ``name`` when its back-off is over; False when it crash-loops."""
        if name in self.restart_at:
            if now >= self.restart_at[name]:
                del self.restart_at[name]
                base.log(f"{name}: restarting")
                self.spawn(name, self.commands[name])
            return True
        returncode = self.children[name].poll()
        if returncode is None:
            return True
        self.kill_leftovers(name)
        crashes = [t for t in self.crashes.get(name, []) if now - t < self.crash_loop_window_s]
        crashes.append(now)
        self.crashes[name] = crashes
        if len(crashes) >= self.crash_loop_limit:
            base.log(
                f"{name} exited with code {returncode}, {len(crashes)} times in "
                f"{self.crash_loop_window_s:.0f} s: crash loop, stopping everything"
            )
            return False
        delay_s = min(self.backoff_max_s, self.backoff_start_s * 2 ** (len(crashes) - 1))
        base.log(
            f"{name} exited with code {returncode}; restarting it in {delay_s:.1f} s "
            f"(crash {len(crashes)} of {self.crash_loop_limit} allowed in "
            f"{self.crash_loop_window_s:.0f} s)"
        )
        self.restart_at[name] = now + delay_s
        return True

    def kill_leftovers(self, name: str) -> None:
        """Kill what a dead child left in its process group.

        A SIGKILLed Celery or gunicorn main process leaves its pool processes running: they hold
        the port or a task and would make the restarted one fail or compete with it.
        """
        try:
            os.killpg(self.children[name].pid, signal.SIGKILL)
        except ProcessLookupError:
            return  # the group is empty: nothing was left behind
        except PermissionError:  # the group id was reused by another user's process
            return
        base.log(f"{name}: killed the processes it left behind")

    def stop_children(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                base.log(f"{name} did not stop in time; killing it")
                child.kill()
                child.wait()
        for name in self.children:
            self.kill_leftovers(name)


def wait_until_healthy(port: int, *, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False
