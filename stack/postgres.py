"""The private PostgreSQL cluster in var/pg, and creating a database on a server."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

from stack import base

PG_BASE_PORT = 55432
DATABASE_NAME = "geo_klik"
POSTGIS_LIBRARY = "postgis-3"
MAX_CONNECTIONS = 250


class PrivatePostgres(base.PrivateServer):
    """A PostgreSQL cluster in var/pg, run by the `postgres` user when we are root."""

    name = "pg"
    pid_file_name = "data/postmaster.pid"
    base_port = PG_BASE_PORT

    @property
    def data(self) -> Path:
        return self.home / "data"

    def bin(self, name: str) -> str:
        found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version_key)
        if not found:
            raise base.StackError(f"PostgreSQL's {name} not found; run scripts/bootstrap")
        return str(found[-1])

    def as_owner(self, cmd: list[str]) -> list[str]:
        return base.as_server_user(cmd)

    def prepare_dir(self) -> None:
        base.prepare_server_dir(self.dir)

    def ensure_initialized(self) -> None:
        self.prepare_dir()
        if (self.data / "PG_VERSION").exists():
            return
        base.log("creating a private PostgreSQL cluster in var/pg")
        initdb = [self.bin("initdb"), "-D", str(self.data), "-U", "postgres"]
        options = ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
        base.run_quiet(self.as_owner([*initdb, *options]), what="initdb")

    def running_port(self) -> int | None:
        # postmaster.pid holds the pid on its first line and the port on its fourth.
        try:
            lines = self.pid_file.read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (OSError, ValueError, IndexError):
            return None
        return port if base.pid_alive(pid) else None

    def start(self) -> int:
        port = self.next_port()
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c jit=off"
            # PgBouncer's 160 pooled sessions (web threads, Celery) and the direct ones beside.
            f" -c max_connections={MAX_CONNECTIONS}"
            # Load PostGIS once in the postmaster: otherwise every new connection (one per
            # PgBouncer session) spends ~14 ms loading it on its first spatial query.
            f" -c shared_preload_libraries={POSTGIS_LIBRARY}"
        )
        pg_ctl = [self.bin("pg_ctl"), "-D", str(self.data), "-l", str(self.home / "postgres.log")]
        base.run_quiet(
            self.as_owner([*pg_ctl, "-o", options, "-w", "-t", "60", "start"]),
            what="starting PostgreSQL (see var/pg/postgres.log)",
        )
        self.port_file.write_text(f"{port}\n")
        return port

    def stop(self) -> None:
        if self.running_port() is None:
            return
        base.run_quiet(
            self.as_owner([self.bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            what="stopping PostgreSQL",
        )

    def ensure_running(self) -> int:
        self.ensure_initialized()
        port = self.running_port()
        if port is None:
            port = self.start()
            base.log(f"PostgreSQL started on 127.0.0.1:{port}")
        return port


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.parts[-3].split(".") if part.isdigit())


def ensure_database(database_url: str) -> None:
    """Create the database named in the URL if it does not exist yet."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg2.connect(maintenance, connect_timeout=5)
            break
        except psycopg2.OperationalError as exc:
            if time.monotonic() > deadline:
                raise base.StackError(f"cannot connect to PostgreSQL: {exc}") from exc
            time.sleep(0.2)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                base.log(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
