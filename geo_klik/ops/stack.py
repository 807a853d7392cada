"""The local stack behind `make run` and `make test`: private PostgreSQL and Redis, then servers.

Unless DATABASE_URL / REDIS_URL name other servers, a PostgreSQL cluster, PgBouncer in front of
it and a Redis server run under ./var/ on free loopback ports (so a system PostgreSQL on 5432 or
Redis on 6379, or another checkout's stack, never collides). Django's DATABASE_URL goes through
PgBouncer; DATABASE_DIRECT_URL names PostgreSQL itself, for sessions of their own (migrations,
LISTEN, the test database). DATABASE_POOLER=none serves without PgBouncer; with a DATABASE_URL of
your own, DATABASE_POOLER=pgbouncer puts a private PgBouncer in front of that server. Several
commands of one checkout may share them (`make run` while `make test` runs): each holds a lease
in var/run/leases/, and the last one to leave stops the private services.

    python -m geo_klik.ops.stack run     provision, then serve web + worker + beat until Ctrl-C
    python -m geo_klik.ops.stack test    provision, then pytest (extra args go to pytest)
    python -m geo_klik.ops.stack bench   benchmarks in the geo_klik_bench database
    python -m geo_klik.ops.stack up      provision and leave the services running
    python -m geo_klik.ops.stack down    stop the private services
    python -m geo_klik.ops.stack env     print the environment for manage.py / pytest
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
PG_BASE_PORT = 55432
REDIS_BASE_PORT = 56379  # up to 56578
PGBOUNCER_BASE_PORT = 57432
PGBOUNCER_QUERY_WAIT_TIMEOUT_S = 5  # a client queued longer for a server session gets an error
DATABASE_NAME = "geo_klik"
POSTGIS_LIBRARY = "postgis-3"
MANUAL_LEASE = "manual"  # `make up` holds the services until `make down`
TEST_REDIS_DB = 15  # tests never share a Redis database (or Celery queues) with `make run`
BENCH_REDIS_DB = 14


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


class PrivatePostgres:
    """A PostgreSQL cluster in var/pg, run by the `postgres` user when we are root."""

    def __init__(self, var: Path) -> None:
        self.dir = var / "pg"
        self.port_file = self.dir / "port"

    @property
    def home(self) -> Path:
        # Resolved: var/pg may be a symlink the postgres user cannot follow from its parents.
        return self.dir.resolve()

    @property
    def data(self) -> Path:
        return self.home / "data"

    def bin(self, name: str) -> str:
        found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version_key)
        if not found:
            raise StackError(f"PostgreSQL's {name} not found; run scripts/bootstrap")
        return str(found[-1])

    def as_owner(self, cmd: list[str]) -> list[str]:
        return as_server_user(cmd)

    def prepare_dir(self) -> None:
        prepare_server_dir(self.dir)

    def ensure_initialized(self) -> None:
        self.prepare_dir()
        if (self.data / "PG_VERSION").exists():
            return
        log("creating a private PostgreSQL cluster in var/pg")
        run_quiet(
            self.as_owner(
                [
                    self.bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            what="initdb",
        )

    def running_port(self) -> int | None:
        try:
            lines = (self.data / "postmaster.pid").read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (OSError, ValueError, IndexError):
            return None
        return port if pid_alive(pid) else None

    def start(self) -> int:
        port = pick_port(self.port_file, PG_BASE_PORT)
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c jit=off"
            # Load PostGIS once in the postmaster: otherwise every new connection (one per
            # request under ASGI) spends ~14 ms loading it on its first spatial query.
            f" -c shared_preload_libraries={POSTGIS_LIBRARY}"
        )
        run_quiet(
            self.as_owner(
                [
                    self.bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.home / "postgres.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            what="starting PostgreSQL (see var/pg/postgres.log)",
        )
        self.port_file.write_text(f"{port}\n")
        return port

    def stop(self) -> None:
        if self.running_port() is None:
            return
        run_quiet(
            self.as_owner([self.bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            what="stopping PostgreSQL",
        )

    def ensure_running(self) -> int:
        self.ensure_initialized()
        port = self.running_port()
        if port is None:
            port = self.start()
            log(f"PostgreSQL started on 127.0.0.1:{port}")
        return port


class PrivateRedis:
    """A Redis server in var/redis, without persistence (PostgreSQL holds every report)."""

    def __init__(self, var: Path) -> None:
        self.dir = var / "redis"
        self.pid_file = self.dir / "redis.pid"
        self.port_file = self.dir / "port"

    def running_port(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
            port = int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return port if pid_alive(pid) else None

    def start(self) -> int:
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.dir.mkdir(parents=True, exist_ok=True)
        port = pick_port(self.port_file, REDIS_BASE_PORT)
        run_quiet(
            [
                server,
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.pid_file),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            what="starting Redis (see var/redis/redis.log)",
        )
        self.port_file.write_text(f"{port}\n")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # Answering and its pid file written (Redis too listens before it writes it).
            if self.running_port() == port and _redis_answers(port):
                return port
            time.sleep(0.05)
        raise StackError("Redis did not answer within 20 s (see var/redis/redis.log)")

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)

    def ensure_running(self) -> int:
        port = self.running_port()
        if port is None:
            port = self.start()
            log(f"Redis started on 127.0.0.1:{port}")
        return port


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass(frozen=True)
class Upstream:
    """The PostgreSQL server PgBouncer pools connections to, and who it logs in as."""

    host: str
    port: int
    user: str
    password: str = ""
    sslmode: str = "prefer"  # PgBouncer to the server; clients reach PgBouncer over loopback

    @classmethod
    def from_url(cls, database_url: str) -> Upstream:
        parts = urlsplit(database_url)
        sslmode = dict(parse_qsl(parts.query)).get("sslmode", "prefer")
        if sslmode not in UPSTREAM_SSLMODES:
            raise StackError(
                f"sslmode={sslmode} in DATABASE_URL: the private PgBouncer supports "
                f"{', '.join(sorted(UPSTREAM_SSLMODES))} (or set DATABASE_POOLER=none)"
            )
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            sslmode=sslmode,
        )


# verify-ca / verify-full would need PgBouncer's own CA file setting, which the stack does not set.
UPSTREAM_SSLMODES = {"disable", "allow", "prefer", "require"}


def _ini_value(value: str) -> str:
    """A value in a PgBouncer connection string, single-quoted ('' for ') when it must be."""
    if "\n" in value or "\r" in value:
        raise StackError("a database user, password or host cannot span lines in PgBouncer")
    if value and all(c.isalnum() or c in "._-" for c in value):
        return value
    return "'" + value.replace("'", "''") + "'"


def _auth_line(user: str, password: str) -> str:
    return '"{}" "{}"'.format(*(part.replace('"', '""') for part in (user, password)))


class PrivatePgBouncer:
    """PgBouncer in var/pgbouncer, pooling the connections of web, worker and beat.

    Session pooling: a client (one Django connection, one request under ASGI) holds one server
    connection until it disconnects, then DISCARD ALL resets that session for the next client.
    So everything a PostgreSQL session offers keeps working (advisory locks, server-side cursors,
    SET, LISTEN, prepared statements), unlike transaction pooling. Any database name is served
    (a wildcard entry), so the benchmarks' and the tests' databases go through it too.
    """

    def __init__(self, var: Path) -> None:
        self.dir = var / "pgbouncer"
        self.port_file = self.dir / "port"

    @property
    def home(self) -> Path:
        return self.dir.resolve()

    @property
    def pid_file(self) -> Path:
        return self.home / "pgbouncer.pid"

    @property
    def config(self) -> Path:
        return self.home / "pgbouncer.ini"

    def binary(self) -> str:
        found = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not Path(found).exists():
            raise StackError("PgBouncer not found; run scripts/bootstrap")
        return found

    def running_port(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
            port = int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return port if pid_alive(pid) else None

    def write_config(self, port: int, upstream: Upstream) -> bool:
        """Write pgbouncer.ini and its auth file; True when the configuration changed."""
        server = f"host={_ini_value(upstream.host)} port={upstream.port}"
        server += f" user={_ini_value(upstream.user)}"
        if upstream.password:
            server += f" password={_ini_value(upstream.password)}"
        # Clients log in as the upstream user: trusted over loopback like the private cluster,
        # or with the upstream's own password when it has one.
        auth_type = "scram-sha-256" if upstream.password else "trust"
        text = PGBOUNCER_INI.format(
            server=server,
            port=port,
            home=self.home,
            auth_type=auth_type,
            admin=upstream.user,
            sslmode=upstream.sslmode,
            query_wait_timeout_s=PGBOUNCER_QUERY_WAIT_TIMEOUT_S,
        )
        changed = not self.config.exists() or self.config.read_text() != text
        for path, content in (
            (self.home / "users.txt", _auth_line(upstream.user, upstream.password) + "\n"),
            (self.config, text),
        ):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(content)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        return changed

    def start(self, upstream: Upstream) -> int:
        prepare_server_dir(self.dir)
        port = pick_port(self.port_file, PGBOUNCER_BASE_PORT)
        self.write_config(port, upstream)
        run_quiet(
            as_server_user([self.binary(), "-d", "-q", str(self.config)]),
            what="starting PgBouncer (see var/pgbouncer/pgbouncer.log)",
        )
        self.port_file.write_text(f"{port}\n")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # Listening and its pid file written: the daemon may open its socket before it
            # writes the pid file, and running_port() (what the next lease asks) needs both.
            if self.running_port() == port and _listens(port):
                return port
            time.sleep(0.05)
        raise StackError("PgBouncer did not listen within 20 s (see var/pgbouncer/pgbouncer.log)")

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)  # immediate shutdown: its clients are gone by now
            deadline = time.monotonic() + 10
            while pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)

    def ensure_running(self, upstream: Upstream) -> int:
        port = self.running_port()
        if port is None:
            port = self.start(upstream)
            log(f"PgBouncer started on 127.0.0.1:{port} (session pooling)")
        elif self.write_config(port, upstream):
            # The cluster came back on another port since: SIGHUP reloads the server entry.
            os.kill(int(self.pid_file.read_text().strip()), signal.SIGHUP)
            log(f"PgBouncer on 127.0.0.1:{port} now pools {upstream.host}:{upstream.port}")
        return port

    def url(self, port: int, database_url: str) -> str:
        """``database_url``'s database and credentials, through this PgBouncer."""
        parts = urlsplit(database_url)
        userinfo = parts.netloc.rpartition("@")[0] or "postgres"
        # TLS is PgBouncer's business towards the server (server_tls_sslmode), not on loopback.
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "sslmode"])
        return urlunsplit(parts._replace(netloc=f"{userinfo}@127.0.0.1:{port}", query=query))


# Session pooling (PrivatePgBouncer says why). Each setting next to why it has this value.
PGBOUNCER_INI = """\
; written by geo_klik/ops/stack.py
[databases]
; any database name, so the benchmarks' and the tests' databases are pooled too
* = {server}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
pidfile = {home}/pgbouncer.pid
logfile = {home}/pgbouncer.log
auth_type = {auth_type}
auth_file = {home}/users.txt
admin_users = {admin}
server_tls_sslmode = {sslmode}
pool_mode = session
server_reset_query = DISCARD ALL
; web, worker and beat together, per database; at most 80 over every database, so PostgreSQL's
; 100 leave room for direct sessions (migrations, LISTEN, the tests); more clients wait
default_pool_size = 40
max_user_connections = 80
max_client_conn = 400
; a connection idle for more than a second is checked before a client gets it, so one broken
; by a PostgreSQL restart is replaced instead of failing a request
server_check_query = select 1
server_check_delay = 1
; after a failed login (PostgreSQL restarting) new clients are refused at once for this long,
; then the next one tries again: 0.1 s, not the default 15 s during which every request would be
; refused although PostgreSQL was back (0 makes PgBouncer retry in a busy loop)
server_login_retry = 0.1
server_connect_timeout = 5
server_lifetime = 600
server_idle_timeout = 60
; a client queued for a server connection this long gets an error (the JSON 503 with
; Retry-After): long enough to ride through a restart of PostgreSQL, short enough to answer
; soon in an outage or when every server connection is busy
query_wait_timeout = {query_wait_timeout_s}
log_connections = 0
log_disconnections = 0
"""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.parts[-3].split(".") if part.isdigit())


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

    def __init__(self, var: Path = VAR) -> None:
        self.var = var
        self.postgres = PrivatePostgres(var)
        self.pgbouncer = PrivatePgBouncer(var)
        self.redis = PrivateRedis(var)
        self.leases = var / "run" / "leases"
        # Read once, before provisioning puts the private services' URLs into os.environ.
        self.external_db = os.environ.get("DATABASE_URL", "")
        self.external_redis = os.environ.get("REDIS_URL", "")
        self.pooler = os.environ.get("DATABASE_POOLER", "") or (
            "none" if self.external_db else "pgbouncer"
        )
        if self.pooler not in {"pgbouncer", "none"}:
            raise StackError(f"DATABASE_POOLER={self.pooler!r}: use pgbouncer or none")

    def services(self) -> Services:
        external_db, external_redis = self.external_db, self.external_redis
        direct = external_db or (
            f"postgres://postgres@127.0.0.1:{self.postgres.ensure_running()}/{DATABASE_NAME}"
        )
        database_url = direct
        if self.pooler == "pgbouncer":
            port = self.pgbouncer.ensure_running(Upstream.from_url(direct))
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
        path.write_text("# written by geo_klik/ops/stack.py\n" + "\n".join(lines) + "\n")
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
            elif path.name.isdigit() and pid_alive(int(path.name)):
                live.append(int(path.name))
            else:
                path.unlink(missing_ok=True)
        return live

    def down(self) -> None:
        (self.leases / MANUAL_LEASE).unlink(missing_ok=True)
        # PgBouncer first: it runs only for this checkout, whatever server it pools.
        if self.pgbouncer.running_port() is not None:
            self.pgbouncer.stop()
            log("PgBouncer stopped")
        if not self.external_db and self.postgres.running_port() is not None:
            self.postgres.stop()
            log("PostgreSQL stopped")
        if not self.external_redis and self.redis.running_port() is not None:
            self.redis.stop()
            log("Redis stopped")


def ensure_database(database_url: str) -> None:
    """Create the database named in the URL if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

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
                raise StackError(f"cannot connect to PostgreSQL: {exc}") from exc
            time.sleep(0.2)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                log(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


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

    ``demo_accounts``: one account per staff role with a random password, printed the first
    time and kept in var/demo-accounts.txt (0600), and the synthetic demo content of the
    business directory and the community board (marked demo); only for this local stack,
    never production.
    """
    # Migrations and loading on the server itself, in sessions of their own (not pooled).
    os.environ.update({**env, "DATABASE_URL": env.get("DATABASE_DIRECT_URL", env["DATABASE_URL"])})
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("provision_data")
    if demo_accounts:
        call_command("create_demo_accounts", i_know_this_is_not_production=True)
        call_command("seed_business")
        call_command("seed_community")
    # Imported here, like django above: the settings exist only once the environment is set.
    from django.db import connections

    from geo_klik.boundaries import catalog

    choice = catalog.choose()
    # Nothing here uses the database again: an idle session held while the servers or the
    # benchmarks run would stop `CREATE DATABASE ... TEMPLATE` of it (bench/scaling.py).
    connections.close_all()
    return f"{choice.kind} layer {catalog.display_path(choice.path)} ({choice.info.licence})"


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
        self.children[name] = subprocess.Popen(cmd, env=self.env, cwd=ROOT, start_new_session=True)

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
                log(f"{name}: restarting")
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
            log(
                f"{name} exited with code {returncode}, {len(crashes)} times in "
                f"{self.crash_loop_window_s:.0f} s: crash loop, stopping everything"
            )
            return False
        delay_s = min(self.backoff_max_s, self.backoff_start_s * 2 ** (len(crashes) - 1))
        log(
            f"{name} exited with code {returncode}; restarting it in {delay_s:.1f} s "
            f"(crash {len(crashes)} of {self.crash_loop_limit} allowed in "
            f"{self.crash_loop_window_s:.0f} s)"
        )
        self.restart_at[name] = now + delay_s
        return True

    def kill_leftovers(self, name: str) -> None:
        """Kill what a dead child left in its process group.

        A SIGKILLed Celery or uvicorn main process leaves its pool processes running: they hold
        the port or a task and would make the restarted one fail or compete with it.
        """
        try:
            os.killpg(self.children[name].pid, signal.SIGKILL)
        except ProcessLookupError:
            return  # the group is empty: nothing was left behind
        except PermissionError:  # the group id was reused by another user's process
            return
        log(f"{name}: killed the processes it left behind")

    def stop_children(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time; killing it")
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


def cmd_run(stack: Stack) -> int:
    started = time.monotonic()
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    if not port_is_free(port) and host in {"127.0.0.1", "0.0.0.0"}:  # noqa: S104 - comparing only
        raise StackError(
            f"port {port} is already in use; stop what uses it or run with PORT=<other port>"
        )
    with stack.lease() as services:
        env = child_env(services)
        ensure_database(services.direct_url)
        boundaries = provision(env, demo_accounts=True)
        python = sys.executable
        var_celery = stack.var / "celery"
        var_celery.mkdir(parents=True, exist_ok=True)
        supervisor = Supervisor(env)
        supervisor.spawn(
            "web",
            [
                python,
                "-m",
                "uvicorn",
                "geo_klik.asgi:application",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                os.environ.get("WEB_CONCURRENCY", "2"),
                "--lifespan",
                "off",
                "--no-server-header",
                # X-Forwarded-For/-Proto are read by Django alone, from TRUSTED_PROXIES hops.
                "--no-proxy-headers",
            ],
        )
        supervisor.spawn(
            "worker",
            [
                python,
                "-m",
                "celery",
                "-A",
                "geo_klik",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                os.environ.get("CELERY_CONCURRENCY", "2"),
                "--hostname",
                f"geo_klik-{port}@%h",
            ],
        )
        supervisor.spawn(
            "beat",
            [
                python,
                "-m",
                "celery",
                "-A",
                "geo_klik",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(var_celery / "beat-schedule"),
                "--pidfile=",
            ],
        )
        if wait_until_healthy(port, timeout_s=60):
            shown = "127.0.0.1" if host in {"0.0.0.0", "127.0.0.1"} else host  # noqa: S104
            base = f"http://{shown}:{port}"
            log(f"ready in {time.monotonic() - started:.1f} s. Press Ctrl-C to stop everything.")
            log(f"  map:     {base}/")
            log(f"  health:  {base}/healthz")
            log(f"  lookup:  {base}/api/boundaries/lookup?lat=-0.3051&lon=100.3693")
            log(f"  report:  {base}/lapor/   public map: {base}/peta/   search: {base}/cari/")
            log(f"  areas:   {base}/layanan/  {base}/info/  {base}/usaha/  {base}/komunitas/")
            log(f"  control: {base}/control/   (demo accounts: var/demo-accounts.txt)")
            log(f"  admin:   {base}/admin/   API docs: {base}/api/docs/")
            log(f"  kelurahan: {boundaries} (details at the top of this log)")
        else:
            log("the web server did not become healthy within 60 s; see the log above")
        return supervisor.wait()


def cmd_test(stack: Stack, pytest_args: list[str]) -> int:
    # The suite runs on PostgreSQL itself: pytest-django creates and drops the test database,
    # which PostgreSQL refuses while PgBouncer keeps idle sessions on it, and the tests that
    # break or restart connections mean the server. tests/ops/test_pgbouncer.py sends intake
    # requests and sessions through PgBouncer (DATABASE_POOLED_URL), on the same test database.
    with stack.lease() as services:
        env = child_env(services, test=True)
        ensure_database(services.direct_url)
        # WhiteNoise warns when STATIC_ROOT is missing; tests serve static files via finders.
        (stack.var / "static").mkdir(parents=True, exist_ok=True)
        result = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=ROOT)
        return result.returncode


def cmd_bench(stack: Stack, bench_args: list[str]) -> int:
    """Benchmarks in their own database, so synthetic millions never reach the real one."""
    with stack.lease() as services:
        bench_db = f"/{DATABASE_NAME}_bench"
        database_url = urlunsplit(urlsplit(services.database_url)._replace(path=bench_db))
        direct = urlunsplit(urlsplit(services.direct_url)._replace(path=bench_db))
        bench_services = Services(database_url, services.redis_url, False, False, direct)
        env = child_env(bench_services)
        env["REDIS_URL"] = with_redis_db(services.redis_url, BENCH_REDIS_DB)
        ensure_database(direct)
        provision(env)
        result = subprocess.run([sys.executable, "-m", "bench", *bench_args], env=env, cwd=ROOT)
        return result.returncode


def cmd_up(stack: Stack) -> int:
    stack.leases.mkdir(parents=True, exist_ok=True)
    (stack.leases / MANUAL_LEASE).touch()  # held until `make down`
    services = stack.services()
    env = child_env(services)
    ensure_database(services.direct_url)
    provision(env, demo_accounts=True)
    log(f"DATABASE_URL={services.database_url}")
    log(f"DATABASE_DIRECT_URL={services.direct_url}")
    log(f"REDIS_URL={services.redis_url}")
    log("services left running; `make down` stops them")
    return 0


def cmd_env(stack: Stack) -> int:
    services = stack.services()
    print(f"export DATABASE_URL={services.database_url}")
    print(f"export DATABASE_DIRECT_URL={services.direct_url}")
    print(f"export REDIS_URL={services.redis_url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geo_klik.ops.stack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["run", "test", "bench", "up", "down", "env"])
    parser.add_argument("extra_args", nargs=argparse.REMAINDER, help="for pytest or bench")
    args = parser.parse_args(argv)
    try:
        stack = Stack()
        if args.command == "run":
            return cmd_run(stack)
        if args.command == "test":
            return cmd_test(stack, args.extra_args)
        if args.command == "bench":
            return cmd_bench(stack, args.extra_args)
        if args.command == "up":
            return cmd_up(stack)
        if args.command == "down":
            stack.down()
            return 0
        return cmd_env(stack)
    except StackError as exc:
        log(f"error: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
