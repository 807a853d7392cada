"""`python -m stack run|test|bench|up|down|env`: the commands behind the Makefile."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import stack as stack_package
from stack import base, postgres, services, supervisor


def web_command(*, host: str, port: int, workers: str, threads: str) -> list[str]:
    """gunicorn with threaded workers serving geo_klik/wsgi.py (that module says why)."""
    web = [sys.executable, "-m", "gunicorn", "geo_klik.wsgi:application"]
    web += ["--bind", f"{host}:{port}"]
    web += ["--workers", workers, "--worker-class", "gthread", "--threads", threads]
    # X-Forwarded-For/-Proto are read by Django alone, from TRUSTED_PROXIES hops: gunicorn
    # trusts no address to set the scheme. No control socket: it would be one path in $HOME
    # shared by every checkout's server.
    web += ["--forwarded-allow-ips=", "--no-control-socket"]
    # A stopping worker waits this long for open console streams, which reconnect elsewhere.
    web += ["--graceful-timeout", "5", "--keep-alive", "5", "--limit-request-line", "8190"]
    return web


def server_commands(*, host: str, port: int, beat_schedule: Path) -> dict[str, list[str]]:
    """web, worker and beat: what `make run` supervises (docker-compose.yml runs the same)."""
    python = sys.executable
    web = web_command(
        host=host,
        port=port,
        workers=os.environ.get("WEB_CONCURRENCY", "2"),
        threads=os.environ.get("WEB_THREADS", "256"),
    )
    celery = [python, "-m", "celery", "-A", "geo_klik"]
    concurrency = os.environ.get("CELERY_CONCURRENCY", "2")
    worker = [*celery, "worker", "--loglevel", "INFO", "--concurrency", concurrency]
    worker += ["--hostname", f"geo_klik-{port}@%h"]
    beat = [*celery, "beat", "--loglevel", "INFO", "--schedule", str(beat_schedule), "--pidfile="]
    return {"web": web, "worker": worker, "beat": beat}


def announce(site: str, *, started: float, boundaries: str) -> None:
    base.log(f"ready in {time.monotonic() - started:.1f} s. Press Ctrl-C to stop everything.")
    base.log(f"  map:     {site}/")
    base.log(f"  health:  {site}/healthz")
    base.log(f"  lookup:  {site}/api/boundaries/lookup?lat=-0.3051&lon=100.3693")
    base.log(f"  report:  {site}/lapor/   public map: {site}/peta/   search: {site}/cari/")
    base.log(f"  areas:   {site}/layanan/  {site}/info/  {site}/usaha/  {site}/komunitas/")
    base.log(f"  control: {site}/control/   (demo accounts: var/demo-accounts.txt)")
    base.log(f"  admin:   {site}/admin/   API docs: {site}/api/docs/")
    base.log(f"  kelurahan: {boundaries} (details at the top of this log)")


def cmd_run(stack: services.Stack) -> int:
    started = time.monotonic()
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    loopback_or_any = host in {"127.0.0.1", "0.0.0.0"}  # noqa: S104 - comparing only
    if not base.port_is_free(port) and loopback_or_any:
        raise base.StackError(
            f"port {port} is already in use; stop what uses it or run with PORT=<other port>"
        )
    with stack.lease() as held:
        env = services.child_env(held)
        postgres.ensure_database(held.direct_url)
        boundaries = services.provision(env, demo_accounts=True)
        var_celery = stack.var / "celery"
        var_celery.mkdir(parents=True, exist_ok=True)
        children = supervisor.Supervisor(env)
        commands = server_commands(host=host, port=port, beat_schedule=var_celery / "beat-schedule")
        for name, command in commands.items():
            children.spawn(name, command)
        if supervisor.wait_until_healthy(port, timeout_s=60):
            shown = "127.0.0.1" if loopback_or_any else host
            announce(f"http://{shown}:{port}", started=started, boundaries=boundaries)
        else:
            base.log("the web server did not become healthy within 60 s; see the log above")
        return children.wait()


def cmd_test(stack: services.Stack, pytest_args: list[str]) -> int:
    # The suite runs on PostgreSQL itself: pytest-django creates and drops the test database,
    # which PostgreSQL refuses while PgBouncer keeps idle sessions on it, and the tests that
    # break or restart connections mean the server. tests/ops/test_pgbouncer.py sends intake
    # requests and sessions through PgBouncer (DATABASE_POOLED_URL), on the same test database.
    with stack.lease() as held:
        env = services.child_env(held, test=True)
        postgres.ensure_database(held.direct_url)
        # WhiteNoise warns when STATIC_ROOT is missing; tests serve static files via finders.
        (stack.var / "static").mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=base.ROOT
        )
        return result.returncode


def cmd_bench(stack: services.Stack, bench_args: list[str]) -> int:
    """Benchmarks in their own database, so synthetic millions never reach the real one."""
    with stack.lease() as held:
        bench_db = f"/{postgres.DATABASE_NAME}_bench"
        database_url = urlunsplit(urlsplit(held.database_url)._replace(path=bench_db))
        direct = urlunsplit(urlsplit(held.direct_url)._replace(path=bench_db))
        bench_services = services.Services(database_url, held.redis_url, False, False, direct)
        env = services.child_env(bench_services)
        env["REDIS_URL"] = services.with_redis_db(held.redis_url, services.BENCH_REDIS_DB)
        postgres.ensure_database(direct)
        services.provision(env)
        result = subprocess.run(
            [sys.executable, "-m", "bench", *bench_args], env=env, cwd=base.ROOT
        )
        return result.returncode


def cmd_up(stack: services.Stack) -> int:
    stack.leases.mkdir(parents=True, exist_ok=True)
    (stack.leases / services.MANUAL_LEASE).touch()  # held until `make down`
    held = stack.services()
    env = services.child_env(held)
    postgres.ensure_database(held.direct_url)
    services.provision(env, demo_accounts=True)
    base.log(f"DATABASE_URL={held.database_url}")
    base.log(f"DATABASE_DIRECT_URL={held.direct_url}")
    base.log(f"REDIS_URL={held.redis_url}")
    base.log("services left running; `make down` stops them")
    return 0


def cmd_env(stack: services.Stack) -> int:
    held = stack.services()
    print(f"export DATABASE_URL={held.database_url}")
    print(f"export DATABASE_DIRECT_URL={held.direct_url}")
    print(f"export REDIS_URL={held.redis_url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stack",
        description=stack_package.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["run", "test", "bench", "up", "down", "env"])
    parser.add_argument("extra_args", nargs=argparse.REMAINDER, help="for pytest or bench")
    args = parser.parse_args(argv)
    try:
        stack = services.Stack()
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
    except base.StackError as exc:
        base.log(f"error: {exc}")
        return 2
