"""The private Redis server in var/redis (the Celery broker and the cache)."""

from __future__ import annotations

import shutil
import socket

from stack import base

REDIS_BASE_PORT = 56379  # up to 56578


class PrivateRedis(base.PrivateServer):
    """A Redis server in var/redis, without persistence (PostgreSQL holds every report)."""

    name = "redis"
    pid_file_name = "redis.pid"
    base_port = REDIS_BASE_PORT

    def start(self) -> int:
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.dir.mkdir(parents=True, exist_ok=True)
        port = self.next_port()
        no_persistence = ["--save", "", "--appendonly", "no"]
        files = ["--dir", str(self.dir), "--pidfile", str(self.pid_file)]
        base.run_quiet(
            [
                server,
                *["--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(port)],
                *no_persistence,
                *files,
                *["--logfile", str(self.dir / "redis.log")],
            ],
            what="starting Redis (see var/redis/redis.log)",
        )
        # Answering and its pid file written (Redis too listens before it writes it).
        return self.wait_until_running(port, redis_answers, what="Redis")

    def ensure_running(self) -> int:
        port = self.running_port()
        if port is None:
            port = self.start()
            base.log(f"Redis started on 127.0.0.1:{port}")
        return port


def redis_answers(port: int) -> bool:
    """A Redis server on the loopback ``port`` answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
