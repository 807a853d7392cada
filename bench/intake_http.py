"""HTTP intake throughput and latency against the production server, next to raw PostgreSQL.

wrk drives `POST /api/reports/` on loopback at concurrency 1, 8 and 32 against gunicorn (the
server `make run` uses, its threads keeping connections to PgBouncer), every request with a new
Idempotency-Key and a random point in the city. pgbench then measures, on the same database in
the same run and directly, the raw rate of one-row insert-plus-route transactions (insert a
report, pick the covering jurisdiction, insert the assignment), the ceiling any web stack on this
machine works under; the headline is reports/s and p99 at concurrency 8, and their ratio to that
raw rate. Then concurrency 8 again with 1 and with 4 web processes, with uvicorn (ASGI, the
server `make run` used before), and with gunicorn connecting to PostgreSQL directly (no pooler)
when DATABASE_DIRECT_URL names another server than DATABASE_URL. Each rate comes with the
server's CPU time per request, the figure a busy shared machine moves least.
About 2 min; BENCH_DURATION_S (default 10) sets the length of each wrk run.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import stack.base
import stack.cli
import stack.supervisor
from bench import common
from geo_klik.lib import env as envlib
from geo_klik.reports.models import Report

ROOT = Path(__file__).resolve().parent.parent
DURATION_S = int(os.environ.get("BENCH_DURATION_S", "10"))
CONCURRENCY = (1, 8, 32)
OTHER_WEB_WORKERS = (1, 4)  # beside the default 2 (WEB_CONCURRENCY)
# A box well inside the city (around Jam Gadang), so every request is accepted.
LAT0, LAT1, LON0, LON1 = -0.309, -0.295, 100.366, 100.385

WRK_SCRIPT = """
-- Seeded from /dev/urandom in each thread: seeded from the clock, wrk's two threads (and two runs
-- in the same second) sent the same Idempotency-Keys, so half the requests were retries.
function init(args)
  local f = io.open("/dev/urandom", "rb")
  local bytes = f:read(4)
  f:close()
  local seed = 0
  for i = 1, 4 do seed = seed * 256 + bytes:byte(i) end
  math.randomseed(seed)
end
local function uuid4()
  local t = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (t:gsub("[xy]", function (c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end
local cats = {"road_damage", "garbage", "flooding", "street_light", "illegal_parking", "other"}
request = function()
  local lat = LAT0 + math.random() * (LAT1 - LAT0)
  local lon = LON0 + math.random() * (LON1 - LON0)
  local body = string.format(
    '{"category": "%s", "lat": %.6f, "lon": %.6f, "description": "bench: lubang jalan"}',
    cats[math.random(#cats)], lat, lon)
  -- A device id per request, as many phones send: the per-device limit is counted (its cost
  -- measured) but never reached.
  local device = (uuid4():gsub("-", ""))
  local headers = {["Content-Type"] = "application/json", ["Idempotency-Key"] = uuid4(),
                   ["X-Device-Id"] = device}
  return wrk.format("POST", "/api/reports/", headers, body)
end
"""

PGBENCH_SCRIPT = """
\\set ilat random(-3090, -2950)
\\set ilon random(1003660, 1003850)
WITH r AS (
  INSERT INTO reports_report (tracking_code, category_id, location, description, status, source,
      reporter_name, reporter_phone, reporter_email, anonymous, address, created_at, updated_at,
      routed_at)
  VALUES (substr(md5(random()::text), 1, 10), :category,
      ST_SetSRID(ST_MakePoint(:ilon / 10000.0, :ilat / 10000.0), 4326), 'pgbench', 'routed',
      'api', '', '', '', false, '', now(), now(), now())
  RETURNING id, location
), j AS (
  SELECT v.id AS version_id, jj.agency_id FROM r
  JOIN dispatch_jurisdictionpiece p ON ST_Covers(p.piece, r.location)
  JOIN dispatch_jurisdictionversion v ON v.id = p.version_id
  JOIN dispatch_jurisdiction jj ON jj.id = v.jurisdiction_id
  WHERE v.is_current AND v.primary_categories @> ARRAY['road_damage']::varchar[]
  ORDER BY v.priority DESC, v.area_m2 LIMIT 1
), d AS (
  INSERT INTO dispatch_routingdecision (report_id, rule, candidates, tolerance_m, duration_ms,
      is_current, created_at, note)
  SELECT r.id, 'covers', '[]', 100, 0, true, now(), 'pgbench' FROM r RETURNING id, report_id
)
INSERT INTO dispatch_assignment (report_id, agency_id, role, jurisdiction_version_id,
    decision_id, active, created_at)
SELECT d.report_id, j.agency_id, 'primary', j.version_id, d.id, true, now() FROM d, j;
"""


def start_server(port: int, env: dict[str, str], *, asgi: bool = False) -> subprocess.Popen[bytes]:
    """The web server as `make run` starts it (stack.cli.web_command), in its own session.

    ``asgi`` (or BENCH_SERVER=uvicorn for every benchmark): uvicorn serving geo_klik/asgi.py
    instead, as `make run` did until gunicorn replaced it, for comparisons.
    """
    workers = env.get("WEB_CONCURRENCY", "2")
    if asgi or env.get("BENCH_SERVER") == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", "geo_klik.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--workers", workers]
        command += ["--lifespan", "off", "--no-access-log"]
    else:
        threads = env.get("WEB_THREADS", "256")
        command = stack.cli.web_command(
            host="127.0.0.1", port=port, workers=workers, threads=threads
        )
    server = subprocess.Popen(
        [*command, "--log-level", "warning"], env=env, cwd=ROOT, start_new_session=True
    )
    if not stack.supervisor.wait_until_healthy(port, timeout_s=60):
        server.kill()
        raise RuntimeError("the web server did not become healthy")
    return server


def stop_process_group(process: subprocess.Popen[bytes], *, timeout_s: float = 30) -> None:
    """Stop a server started in its own session, its workers included.

    uvicorn's main process waits for open connections (the consoles' event streams) before it
    ends, and once it is killed its workers lived on as orphans, serving those streams and taking
    CPU from the next benchmark: so the whole process group goes.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout_s)


def start_worker(env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    """A Celery worker as `make run` starts it (2 processes), for the end-to-end benchmarks."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "geo_klik",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            "2",
            "--hostname",
            f"{name}-{os.getpid()}@%h",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def parse_wrk(output: str) -> dict[str, Any]:
    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    figures: dict[str, Any] = {}
    for pct in ("50", "99"):
        match = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", output, re.M)
        if match:
            figures[f"p{pct}_ms"] = round(ms(match.group(1)), 2)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    figures["requests_per_s"] = float(rate.group(1)) if rate else 0.0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s)", output)
    if total:
        seconds = ms(total.group(2) + total.group(3)) / 1000
        figures["requests"] = int(total.group(1))
        accepted = figures["requests"] - figures["non_2xx"]
        # Only 201s are reports: a refused request is not throughput.
        figures["reports_per_s"] = round(accepted / seconds, 1) if seconds else 0.0
    errors = re.search(r"Socket errors: (.*)", output)
    figures["socket_errors"] = errors.group(1) if errors else "none"
    return figures


def wrk_command(
    port: int,
    concurrency: int,
    script: Path | None,
    *,
    duration_s: int,
    path: str = "/",
    timeout_s: int = 2,
) -> list[str]:
    command = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{duration_s}s"]
    command += [f"--timeout={timeout_s}s"]
    command += ["--latency", *(["-s", str(script)] if script else [])]
    return [*command, f"http://127.0.0.1:{port}{path}"]


def run_wrk(
    port: int,
    concurrency: int,
    script: Path | None,
    *,
    duration_s: int = DURATION_S,
    path: str = "/",
) -> dict[str, Any]:
    command = wrk_command(port, concurrency, script, duration_s=duration_s, path=path)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


def intake_script() -> Path:
    """The wrk script of report intake: a new Idempotency-Key and point per request."""
    script = Path(tempfile.mkdtemp()) / "intake.lua"
    script.write_text(
        WRK_SCRIPT.replace("LAT0", str(LAT0))
        .replace("LAT1", str(LAT1))
        .replace("LON0", str(LON0))
        .replace("LON1", str(LON1))
    )
    return script


def pgbench_rate(category_id: int) -> dict[str, Any]:
    # On PostgreSQL itself: the raw rate, not PgBouncer's.
    url = os.environ.get("DATABASE_DIRECT_URL") or os.environ["DATABASE_URL"]
    db = envlib.parse_database_url("DATABASE_DIRECT_URL", url)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(PGBENCH_SCRIPT)
    figures = {}
    try:
        for clients in (1, 8):
            result = subprocess.run(
                [
                    shutil.which("pgbench") or "pgbench",
                    "-n",
                    "-h",
                    str(db["HOST"]),
                    "-p",
                    str(db["PORT"]),
                    "-U",
                    str(db["USER"] or "postgres"),
                    "-c",
                    str(clients),
                    "-j",
                    str(min(clients, 2)),
                    "-T",
                    "10",
                    "-D",
                    f"category={category_id}",
                    "-f",
                    handle.name,
                    str(db["NAME"]),
                ],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PGPASSWORD": str(db["PASSWORD"] or "")},
            )
            tps = re.search(r"tps = ([\d.]+)", result.stdout)
            figures[f"pgbench_tps_c{clients}"] = float(tps.group(1)) if tps else 0.0
    finally:
        os.unlink(handle.name)
    return figures


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (the server's workers), from /proc."""
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(stat.parent.name))
    ticks = 0
    for each in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(server: subprocess.Popen[bytes], run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A wrk run's figures and the server's CPU time per request over it.

    CPU per request is the figure least moved by other work on a shared machine: two cores
    divided by it is the ceiling in requests per second of this server on this machine.
    """
    before = cpu_seconds(server.pid)
    figures = run()
    used_s = cpu_seconds(server.pid) - before
    if figures.get("requests"):
        figures["server_cpu_ms_per_request"] = round(used_s * 1000 / figures["requests"], 2)
    return figures


def without_address_limits(environ: Mapping[str, str]) -> dict[str, str]:
    """Every request comes from one address here: the per-address intake limits would cap it."""
    return {**environ, "REPORTS_RATE_LIMIT": "off", "REPORTS_RATE_LIMIT_PER_ADDRESS": "off"}


def intake_without_pooler(port: int, script: Path, env: dict[str, str]) -> dict[str, Any]:
    """Concurrency 8 with the server connecting to PostgreSQL itself: what PgBouncer saves."""
    server = start_server(port, env)
    try:
        ready(port)
        run_wrk(port, 8, script, duration_s=3)  # warm-up
        return run_wrk(port, 8, script)
    finally:
        stop_process_group(server)


def ready(port: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/categories/", timeout=5) as resp:
        assert resp.status == 200


def run() -> dict[str, object]:
    from geo_klik.reports.models import Category

    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    script = intake_script()
    before = Report.objects.count()
    env = without_address_limits(os.environ)
    server = start_server(port, env)
    figures: dict[str, Any] = {
        "duration_s_each": DURATION_S,
        "web_workers": int(env.get("WEB_CONCURRENCY", "2")),
    }
    try:
        ready(port)
        run_wrk(port, 8, script, duration_s=3)  # warm-up
        for concurrency in CONCURRENCY:
            figures[f"c{concurrency}"] = measured(
                server, functools.partial(run_wrk, port, concurrency, script)
            )
            time.sleep(1)
    finally:
        stop_process_group(server)
    # More web processes than cores: a trade-off to measure (GIL per process, PostgreSQL and
    # wrk on the same two cores), at concurrency 8.
    for workers in OTHER_WEB_WORKERS:
        server = start_server(port, {**env, "WEB_CONCURRENCY": str(workers)})
        try:
            run_wrk(port, 8, script, duration_s=2)  # warm-up
            figures[f"c8_with_{workers}_web_workers"] = measured(
                server, functools.partial(run_wrk, port, 8, script)
            )
        finally:
            stop_process_group(server)
    # The server `make run` used before (uvicorn, ASGI: each request handed to a new thread and
    # connecting anew), same run, same machine: what the switch to gunicorn's threads changed.
    server = start_server(port, env, asgi=True)
    try:
        run_wrk(port, 8, script, duration_s=2)  # warm-up
        figures["c8_uvicorn_asgi"] = measured(server, functools.partial(run_wrk, port, 8, script))
    finally:
        stop_process_group(server)
    direct = os.environ.get("DATABASE_DIRECT_URL", "")
    figures["pooler"] = "pgbouncer" if direct and direct != env["DATABASE_URL"] else "none"
    if figures["pooler"] != "none":
        figures["c8_direct"] = intake_without_pooler(port, script, {**env, "DATABASE_URL": direct})
    figures["reports_created"] = Report.objects.count() - before
    # No worker ran: route what was accepted, so no later benchmark starts with a backlog.
    common.route_leftovers()
    figures.update(pgbench_rate(Category.objects.get(code="road_damage").pk))
    raw = figures["pgbench_tps_c8"]
    figures["reports_per_s_c8"] = figures["c8"].get("reports_per_s", 0.0)
    figures["p99_ms_c8"] = figures["c8"].get("p99_ms")
    figures["server_cpu_ms_per_report_c8"] = figures["c8"].get("server_cpu_ms_per_request")
    if "c8_direct" in figures:
        figures["reports_per_s_c8_direct"] = figures["c8_direct"].get("reports_per_s", 0.0)
        figures["p99_ms_c8_direct"] = figures["c8_direct"].get("p99_ms")
    figures["raw_insert_route_per_s_c8"] = round(raw, 1)
    figures["http_c8_over_raw_c8"] = round(figures["reports_per_s_c8"] / raw, 3) if raw else None
    common.write_result(
        "intake_http",
        figures,
        targets={"reports_per_s_c8": 500, "p99_ms_c8": 50, "http_c8_over_raw_c8": 0.25},
    )
    return figures
