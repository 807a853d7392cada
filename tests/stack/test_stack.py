"""The local stack: private PostgreSQL and Redis on free ports, shared through leases."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2
import pytest

import stack.base
import stack.pgbouncer
import stack.postgres
import stack.redis
import stack.services


@pytest.fixture
def var(tmp_path: Path) -> Iterator[Path]:
    var = tmp_path / "var"
    var.mkdir()
    yield var
    # Never leave servers or a relocated cluster behind, whatever a test did.
    bouncer = stack.pgbouncer.PrivatePgBouncer(var)
    bouncer.stop()
    postgres = stack.postgres.PrivatePostgres(var)
    postgres.stop()
    stack.redis.PrivateRedis(var).stop()
    for server in (postgres, bouncer):
        if server.dir.is_symlink():
            shutil.rmtree(server.home.parent, ignore_errors=True)


def test_it_picks_the_saved_port_when_free(tmp_path: Path) -> None:
    saved = tmp_path / "port"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    saved.write_text(f"{free}\n")
    assert stack.base.pick_port(saved, 40000) == free


def test_it_skips_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (tmp_path / "port").write_text(str(port))
        chosen = stack.base.pick_port(tmp_path / "port", port)
    assert chosen != port
    assert port < chosen < port + 200


def test_it_swaps_the_redis_database_for_tests() -> None:
    assert (
        stack.services.with_redis_db("redis://127.0.0.1:6379/0", 15) == "redis://127.0.0.1:6379/15"
    )
    assert stack.services.with_redis_db("redis://:pw@host:1", 15) == "redis://:pw@host:1/15"


def test_it_runs_a_private_redis_and_stops_it(var: Path) -> None:
    redis_server = stack.redis.PrivateRedis(var)
    port = redis_server.ensure_running()
    assert stack.redis.redis_answers(port)
    assert redis_server.ensure_running() == port  # reused, not started twice
    redis_server.stop()
    assert redis_server.running_port() is None
    assert not stack.redis.redis_answers(port)


@pytest.mark.skipif(os.geteuid() != 0, reason="the private cluster is run by the postgres user")
def test_it_runs_a_private_postgres_cluster_and_stops_it(var: Path) -> None:
    postgres = stack.postgres.PrivatePostgres(var)
    port = postgres.ensure_running()
    assert port >= stack.postgres.PG_BASE_PORT
    url = f"postgres://postgres@127.0.0.1:{port}/geo_klik_stack_test"
    stack.postgres.ensure_database(url)
    stack.postgres.ensure_database(url)  # idempotent
    conn = psycopg2.connect(url)
    conn.close()
    assert postgres.ensure_running() == port
    postgres.stop()
    assert postgres.running_port() is None


def test_it_keeps_services_while_another_lease_is_alive(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only Redis is private here: the database is "external", so the lease leaves it alone.
    monkeypatch.setenv("DATABASE_URL", "postgres://external/db")
    monkeypatch.delenv("REDIS_URL", raising=False)
    holder = stack.services.Stack(var)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        holder.leases.mkdir(parents=True)
        (holder.leases / str(other.pid)).touch()
        with holder.lease() as services:
            port = holder.redis.running_port()
            assert services.redis_url == f"redis://127.0.0.1:{port}/0"
        assert holder.redis.running_port() == port, "another command still holds a lease"
        other.kill()
        other.wait()
        with holder.lease():
            pass
        assert holder.redis.running_port() is None, "the last one out stops the services"
    finally:
        other.kill()


def test_it_writes_the_env_file_owner_readable_only(var: Path) -> None:
    holder = stack.services.Stack(var)
    services = stack.services.Services(
        "postgres://postgres@127.0.0.1:1/geo_klik", "redis://127.0.0.1:2/0", True, True
    )
    holder.write_env_file(services)
    env_file = var / "stack.env"
    assert env_file.stat().st_mode & 0o077 == 0
    text = env_file.read_text()
    assert "DATABASE_URL=postgres://postgres@127.0.0.1:1/geo_klik" in text
    assert "SECRET_KEY=" in text
    assert (var / "secret_key").read_text() == holder.secret_key()  # stable across runs


def test_it_still_stops_its_own_services_after_provisioning_set_the_urls(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make run` puts the private services' URLs into os.environ while provisioning; they must
    # not then be mistaken for external servers the stack should leave alone.
    monkeypatch.setenv("DATABASE_URL", "postgres://external/db")
    monkeypatch.delenv("REDIS_URL", raising=False)
    holder = stack.services.Stack(var)
    with holder.lease() as services:
        monkeypatch.setenv("REDIS_URL", services.redis_url)
        assert holder.redis.running_port() is not None
    assert holder.redis.running_port() is None


def test_it_gives_children_a_direct_url_on_their_own_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DATABASE_DIRECT_URL: the database itself, or the server past an outside pooler."""
    monkeypatch.delenv("DATABASE_DIRECT_URL", raising=False)
    services = stack.services.Services(
        "postgres://postgres@127.0.0.1:55432/geo_klik_bench", "", True, True
    )
    env = stack.services.child_env(services)
    assert env["DATABASE_DIRECT_URL"] == env["DATABASE_URL"] == services.database_url
    assert "DATABASE_POOLED_URL" not in stack.services.child_env(services, test=True)
    # A pooler in DATABASE_URL and the server in DATABASE_DIRECT_URL, pointed at another database
    # (a shell that ran `eval "$(make -s env)"`, then `make bench`): the server, the bench's own.
    monkeypatch.setenv("DATABASE_DIRECT_URL", "postgres://u:p@db.internal:5432/geo_klik?x=1")
    env = stack.services.child_env(services)
    assert env["DATABASE_DIRECT_URL"] == "postgres://u:p@db.internal:5432/geo_klik_bench?x=1"
    assert env["DATABASE_URL"] == services.database_url


def test_it_sends_servers_through_its_pgbouncer_and_tests_past_it() -> None:
    services = stack.services.Services(
        "postgres://postgres@127.0.0.1:57432/geo_klik",
        "redis://127.0.0.1:2/0",
        True,
        True,
        direct_database_url="postgres://postgres@127.0.0.1:55432/geo_klik",
        private_pgbouncer=True,
    )
    env = stack.services.child_env(services)
    assert env["DATABASE_URL"] == services.database_url
    assert env["DATABASE_DIRECT_URL"] == services.direct_database_url
    assert "DATABASE_POOLED_URL" not in env
    # The suite creates its database and runs on the server; PgBouncer's tests use the pooler.
    env = stack.services.child_env(services, test=True)
    assert env["DATABASE_URL"] == env["DATABASE_DIRECT_URL"] == services.direct_database_url
    assert env["DATABASE_POOLED_URL"] == services.database_url


def test_it_leaves_an_outside_database_unpooled_unless_asked(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/geo_klik")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delenv("DATABASE_POOLER", raising=False)
    services = stack.services.Stack(var).services()
    assert (
        services.database_url == services.direct_url == "postgres://u:p@db.internal:5432/geo_klik"
    )
    assert not services.private_pgbouncer and not (var / "pgbouncer").exists()
    for bad in ("pgpool", "PGBOUNCER", "none;rm"):
        monkeypatch.setenv("DATABASE_POOLER", bad)
        with pytest.raises(stack.base.StackError, match="DATABASE_POOLER"):
            stack.services.Stack(var)


def test_it_carries_the_servers_tls_mode_to_pgbouncer_not_to_loopback() -> None:
    url = "postgres://u:p%40ss@db.internal:6543/geo_klik?sslmode=require&application_name=x"
    upstream = stack.pgbouncer.Upstream.from_url(url)
    assert upstream == stack.pgbouncer.Upstream("db.internal", 6543, "u", "p@ss", "require")
    bouncer = stack.pgbouncer.PrivatePgBouncer(Path("/nonexistent"))
    pooled = bouncer.url(57432, url)
    assert pooled == "postgres://u:p%40ss@127.0.0.1:57432/geo_klik?application_name=x"
    assert stack.pgbouncer.Upstream.from_url("postgres://h/db").sslmode == "prefer"
    for unsupported in ("verify-full", "verify-ca", "bogus", "require'"):
        with pytest.raises(stack.base.StackError, match="sslmode"):
            stack.pgbouncer.Upstream.from_url(f"postgres://h/db?sslmode={unsupported}")


def test_it_refuses_a_password_pgbouncer_cannot_hold() -> None:
    bouncer_value = stack.pgbouncer.ini_value
    assert bouncer_value("postgres") == "postgres"
    assert bouncer_value("it's a p#ss; w=rd") == "'it''s a p#ss; w=rd'"
    assert bouncer_value("") == "''"
    with pytest.raises(stack.base.StackError):
        bouncer_value("two\nlines")
    assert stack.pgbouncer.auth_line('o"brien', 'p"w') == '"o""brien" "p""w"'


@pytest.mark.skipif(os.geteuid() != 0, reason="the private cluster is run by the postgres user")
def test_it_runs_pgbouncer_before_the_private_cluster_through_restarts(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_POOLER", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # not needed here
    holder = stack.services.Stack(var)
    with holder.lease() as services:
        pg_port, bouncer_port = holder.postgres.running_port(), holder.pgbouncer.running_port()
        assert services.private_pgbouncer and bouncer_port and pg_port
        assert services.database_url == f"postgres://postgres@127.0.0.1:{bouncer_port}/geo_klik"
        assert services.direct_url == f"postgres://postgres@127.0.0.1:{pg_port}/geo_klik"
        assert f"DATABASE_DIRECT_URL={services.direct_url}" in (var / "stack.env").read_text()
        stack.postgres.ensure_database(services.direct_url)
        pids = [backend_pid(services.database_url), backend_pid(services.database_url)]
        assert pids[0] == pids[1], "the session is kept between clients"
        for mode in ("fast", "immediate"):
            postgres = holder.postgres
            restart = [postgres.bin("pg_ctl"), "-D", str(postgres.data), "-m", mode, "-w"]
            subprocess.run(postgres.as_owner([*restart, "restart"]), check=True)
            # The first request after the restart gets a new session, not the dead one.
            pids.append(backend_pid(services.database_url))
            assert pids[-1] not in pids[:-1]
        assert holder.pgbouncer.ensure_running(
            stack.pgbouncer.Upstream.from_url(services.direct_url)
        ) == (bouncer_port)
    assert holder.pgbouncer.running_port() is None, "the last lease stops PgBouncer too"
    assert holder.postgres.running_port() is None


def backend_pid(url: str) -> int:
    conn = psycopg2.connect(url, connect_timeout=5)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            row = cursor.fetchone()
            assert row is not None
            return int(row[0])
    finally:
        conn.close()


def test_it_pools_an_outside_server_when_asked_with_its_password(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DATABASE_POOLER=pgbouncer before a server of one's own: clients need its password."""
    if not os.environ.get("DATABASE_POOLED_URL"):
        pytest.skip("needs the private cluster, which trusts loopback, as the outside server")
    server = urlsplit(os.environ["DATABASE_URL"])
    password = "it's a p#ss; w=rd"
    outside = urlunsplit(
        server._replace(
            netloc=f"postgres:{quote(password, safe='')}@{server.hostname}:{server.port}",
            path="/postgres",
        )
    )
    monkeypatch.setenv("DATABASE_URL", outside)
    monkeypatch.setenv("DATABASE_POOLER", "pgbouncer")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    holder = stack.services.Stack(var)
    services = holder.services()
    try:
        assert services.private_pgbouncer and not services.private_postgres
        assert services.direct_url == outside
        pooled = urlsplit(services.database_url)
        assert pooled.port == holder.pgbouncer.running_port() and pooled.path == "/postgres"
        backend_pid(services.database_url)
        for wrong in ("", "it's a p#ss"):
            netloc = f"postgres:{quote(wrong, safe='')}@127.0.0.1:{pooled.port}"
            with pytest.raises(psycopg2.OperationalError):
                backend_pid(urlunsplit(pooled._replace(netloc=netloc)))
    finally:
        holder.down()
    assert holder.pgbouncer.running_port() is None


FAKE_DAEMON = """\
import os, re, signal, socket, sys, time
ini = open(sys.argv[-1]).read()
port = int(re.search(r"listen_port = (\\d+)", ini).group(1))
pidfile = re.search(r"pidfile = (.+)", ini).group(1).strip()
if os.fork():
    sys.exit(0)  # -d: the parent returns at once, like a daemon
os.setsid()
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)  # let the caller's pipes close, as a daemon does
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", port))
sock.listen()
time.sleep(0.5)  # PgBouncer and Redis listen first and write their pid file afterwards
with open(pidfile, "w") as handle:
    handle.write(f"{os.getpid()}\\n")
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
time.sleep(30)  # never outlives a failed test for long
"""


def test_a_started_pgbouncer_counts_as_running_only_once_its_pid_file_is_written(
    var: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """start() returned while the pid file was still missing, so the next lease saw no PgBouncer.

    (CI: running_port() answered None right after ensure_running() had started it.)
    """
    daemon = tmp_path / "fake-pgbouncer"
    daemon.write_text(f"#!{sys.executable}\n{FAKE_DAEMON}")
    daemon.chmod(0o755)
    bouncer = stack.pgbouncer.PrivatePgBouncer(var)
    monkeypatch.setattr(bouncer, "binary", lambda: str(daemon))
    monkeypatch.setattr(stack.base, "as_server_user", lambda cmd: cmd)
    monkeypatch.setattr(stack.base, "prepare_server_dir", lambda path: path.mkdir(exist_ok=True))
    port = bouncer.start(
        stack.pgbouncer.Upstream.from_url("postgres://postgres@127.0.0.1:1/geo_klik")
    )
    assert bouncer.running_port() == port


FAKE_MANAGE = """\
import json, os, sys
if os.environ.get("FAIL"):
    print("half done")
    sys.exit(3)
print(json.dumps({"argv": sys.argv[1:], "database_url": os.environ["DATABASE_URL"]}))
print()
print("official layer ../somewhere.geojson (CC BY 4.0)")
"""


def test_it_provisions_through_the_projects_command_and_returns_its_last_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stack runs `manage.py provision_local` in a process of its own, on the server itself."""
    (tmp_path / "manage.py").write_text(FAKE_MANAGE)
    monkeypatch.setattr(stack.base, "ROOT", tmp_path)
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/geo_klik",  # PgBouncer
        "DATABASE_DIRECT_URL": "postgres://postgres@127.0.0.1:2/geo_klik",
        "PATH": os.environ["PATH"],
    }

    summary = stack.services.provision(env, demo_accounts=True)

    assert summary == "official layer ../somewhere.geojson (CC BY 4.0)"
    shown = capsys.readouterr().out
    assert summary not in shown, "the summary is for the banner, not printed twice"
    first, blank = shown.split("\n")[:2]
    assert json.loads(first) == {
        "argv": ["provision_local", "--demo"],
        "database_url": env["DATABASE_DIRECT_URL"],
    }
    assert blank == ""
    stack.services.provision(env)
    assert '"argv": ["provision_local"]' in capsys.readouterr().out

    with pytest.raises(stack.base.StackError, match=r"provisioning failed \(3\)"):
        stack.services.provision({**env, "FAIL": "1"})
    assert "half done" in capsys.readouterr().out
