"""Where the services are, shared between commands through leases, and the children's env."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from stack import base, pgbouncer, postgres, redis

MANUAL_LEASE = "manual"  # `make up` holds the services until `make down`
TEST_REDIS_DB = 15  # tests never share a Redis database (or Celery queues) with `make run`
BENCH_REDIS_DB = 14


@dataclass
class Services:
    """Where the database and Redis are, and which of them this checkout runs itself."""

    database_url: str  # what web, worker and beat use: PgBouncer when there is one
    redis_url: str
    private_postgres: bool
    private_redis: bool
    direct_database_url: str = ""  # PostgreSQL itself, past any pooler ("": database_url)
    private_pgbouncer: bool = False

    @property
    def direct_url(self) -> str:
        return self.direct_database_url or direct_url(self.database_url)


class Stack:
    """Bring up (or find) the services, and share them between commands through leases."""

    def __init__(self, var: Path = base.VAR) -> None:
        self.var = var
        self.postgres = postgres.PrivatePostgres(var)
        self.pgbouncer = pgbouncer.PrivatePgBouncer(var)
        self.redis = redis.PrivateRedis(var)
        self.leases = var / "run" / "leases"
        # Read once, before provisioning puts the private services' URLs into os.environ.
        self.external_db = os.environ.get("DATABASE_URL", "")
        self.external_redis = os.environ.get("REDIS_URL", "")
        self.pooler = os.environ.get("DATABASE_POOLER", "") or (
            "none" if self.external_db else "pgbouncer"
        )
        if self.pooler not in {"pgbouncer", "none"}:
            raise base.StackError(f"DATABASE_POOLER={self.pooler!r}: use pgbouncer or none")

    def services(self) -> Services:
        external_db, external_redis = self.external_db, self.external_redis
        direct = external_db or (
            f"postgres://postgres@127.0.0.1:{self.postgres.ensure_running()}/{postgres.DATABASE_NAME}"
        )
        database_url = direct
        if self.pooler == "pgbouncer":
            port = self.pgbouncer.ensure_running(pgbouncer.Upstream.from_url(direct))
            database_url = self.pgbouncer.url(port, direct)
        redis_url = external_redis or f"redis://127.0.0.1:{self.redis.ensure_running()}/0"
        services = Services(
            database_url,
            redis_url,
            private_postgres=not external_db,
            private_redis=not external_redis,
            direct_database_url=direct,
            private_pgbouncer=self.pooler == "pgbouncer",
        )
        self.write_env_file(services)
        return services

    def secret_key(self) -> str:
        path = self.var / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
        return path.read_text().strip()

    def write_env_file(self, services: Services) -> None:
        """var/stack.env: the defaults settings.py reads when a variable is not set."""
        lines = [f"SECRET_KEY={self.secret_key()}"]
        if services.private_postgres or services.private_pgbouncer:
            lines.append(f"DATABASE_URL={services.database_url}")
            lines.append(f"DATABASE_DIRECT_URL={services.direct_url}")
        if services.private_redis:
            lines.append(f"REDIS_URL={services.redis_url}")
        path = self.var / "stack.env"
        path.write_text("# written by stack/services.py\n" + "\n".join(lines) + "\n")
        path.chmod(0o600)

    @contextlib.contextmanager
    def lease(self) -> Iterator[Services]:
        """Services held for the duration; the last holder stops the private ones."""
        self.leases.mkdir(parents=True, exist_ok=True)
        mine = self.leases / str(os.getpid())
        mine.touch()
        try:
            yield self.services()
        finally:
            mine.unlink(missing_ok=True)
            if not self.live_leases():
                self.down()

    def live_leases(self) -> list[int]:
        live = []
        for path in self.leases.glob("*"):
            if path.name == MANUAL_LEASE:
                live.append(0)
            elif path.name.isdigit() and base.pid_alive(int(path.name)):
                live.append(int(path.name))
            else:
                path.unlink(missing_ok=True)
        return live

    def down(self) -> None:
        (self.leases / MANUAL_LEASE).unlink(missing_ok=True)
        # PgBouncer first: it runs only for this checkout, whatever server it pools.
        if self.pgbouncer.running_port() is not None:
            self.pgbouncer.stop()
            base.log("PgBouncer stopped")
        if not self.external_db and self.postgres.running_port() is not None:
            self.postgres.stop()
            base.log("PostgreSQL stopped")
        if not self.external_redis and self.redis.running_port() is not None:
            self.redis.stop()
            base.log("Redis stopped")


def direct_url(database_url: str) -> str:
    """The server behind DATABASE_DIRECT_URL if set (past a pooler), else ``database_url``.

    Always on ``database_url``'s database, so the benchmarks' own database gets its own.
    """
    external = os.environ.get("DATABASE_DIRECT_URL", "")
    if not external:
        return database_url
    return urlunsplit(urlsplit(external)._replace(path=urlsplit(database_url).path))


def with_redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def child_env(services: Services, *, test: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    # Through PgBouncer (when there is one) for web, worker and beat; tests use the server
    # itself (cmd_test says why) and reach PgBouncer through DATABASE_POOLED_URL.
    env["DATABASE_URL"] = services.direct_url if test else services.database_url
    # A session of its own on the server itself (LISTEN, migrations, the test database).
    env["DATABASE_DIRECT_URL"] = services.direct_url
    env.pop("DATABASE_POOLED_URL", None)
    if test and services.direct_url != services.database_url:
        env["DATABASE_POOLED_URL"] = services.database_url
    env["REDIS_URL"] = (
        with_redis_db(services.redis_url, TEST_REDIS_DB) if test else services.redis_url
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def provision(env: dict[str, str], *, demo_accounts: bool = False) -> str:
    """Migrate, collect static files and load boundaries and reference data (all idempotent).

    By the project's own command, ``manage.py provision_local`` (this package never imports
    Django), on the server itself (not pooled), in a process that exits: no idle session is left
    to stop a later ``CREATE DATABASE ... TEMPLATE`` (bench/scaling.py). Its output is shown as
    it comes except its last line, the kelurahan layer in use, returned for `make run`'s banner.
    ``demo_accounts``: the demo staff accounts and content (provision_local --demo says which).
    """
    command = [sys.executable, str(base.ROOT / "manage.py"), "provision_local"]
    if demo_accounts:
        command.append("--demo")
    direct = {**env, "DATABASE_URL": env.get("DATABASE_DIRECT_URL", env["DATABASE_URL"])}
    last: str | None = None
    with subprocess.Popen(
        command, env=direct, cwd=base.ROOT, stdout=subprocess.PIPE, text=True
    ) as child:
        for line in child.stdout or ():
            if last is not None:
                print(last, flush=True)  # one line behind: the last one is the summary
            last = line.rstrip("\n")
    if child.returncode != 0:
        if last is not None:
            print(last, flush=True)
        raise base.StackError(f"provisioning failed ({child.returncode}); see the output above")
    return (last or "").strip()
