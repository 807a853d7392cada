"""Where the web server's CPU goes on the paths that miss their targets, sampled while they run.

gunicorn as `make run` starts it (2 workers, through PgBouncer, address limits off as in
intake_http), wrk at concurrency 8 on one path at a time, and py-spy sampling every process of
the server (all threads) meanwhile. Paths: report intake (`POST /api/reports/`, a new point and
Idempotency-Key each), `/healthz`, the boundary lookup, a report's public view and the public map
feed (served from its cache).

py-spy drops the samples of a thread that is waiting (on PostgreSQL, Redis, the GIL, the event
loop's selector), so the shares are of the CPU the server's Python spent, which is what bounds
the rate on 2 cores: requests/s x CPU ms per request is near 2,000 when the machine is full.

For each path the result gives the rate and CPU per request of that run, the self time by
package (the innermost frame's: where the cycles are spent), and the heaviest functions by
inclusive time (what a request spends its time under). About 70 s.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import stack.base
from bench import common
from bench.intake_http import (
    cpu_seconds,
    intake_script,
    ready,
    run_wrk,
    start_server,
    stop_process_group,
    without_address_limits,
)
from bench.reads_isolation import LOOKUP, a_public_report

DURATION_S = 8
RATE_HZ = 200
TOP_PACKAGES = 12
TOP_FUNCTIONS = 20
# The heaviest functions are picked from the application's packages: the server's own machinery
# (the event loop, threads, uvicorn) shows in the self time by package instead.
APPLICATION = ("geo_klik.", "django", "rest_framework", "psycopg2", "redis", "kombu", "celery")
# A frame: "function (path:line)", as py-spy's raw (collapsed) format writes it.
FRAME = re.compile(r"^(?P<function>.*) \((?P<path>[^()]*?)(?::\d+)?\)$")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise RuntimeError("py-spy not found: run scripts/bootstrap (it is in requirements.lock)")
    return found


def package_of(path: str) -> str:
    """The package a source file belongs to: a site-package, a geo_klik app, or stdlib:<module>."""
    if "/site-packages/" in path:
        rest = path.split("/site-packages/", 1)[1]
        return rest.split("/", 1)[0].removesuffix(".py")
    if "/geo_klik/" in path:
        parts = path.split("/geo_klik/", 1)[1].split("/")
        return "geo_klik." + (parts[0].removesuffix(".py") if len(parts) > 1 else "project")
    match = re.search(r"/python3\.\d+/([^/]+)", path)
    if match:
        return "stdlib:" + match.group(1).removesuffix(".py")
    return "other"


def parse_frame(text: str) -> tuple[str, str] | None:
    """(function label, package) of one frame; None for py-spy's process and thread entries."""
    match = FRAME.match(text.strip())
    if not match or match.group("path").startswith("0x") or text.startswith("process "):
        return None
    path = match.group("path")
    module = Path(path).stem if "/" in path else path
    return f"{match.group('function')} ({module})", package_of(path)


def summarise(raw: str) -> dict[str, Any]:
    """Self time per package and inclusive/self time per function, as % of all samples."""
    total = 0
    self_by_package: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    self_by_function: collections.Counter[str] = collections.Counter()
    packages: dict[str, str] = {}
    for line in raw.splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not stack_text or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in (parse_frame(t) for t in stack_text.split(";")) if f is not None]
        if not frames:
            continue
        total += count
        leaf_function, leaf_package = frames[-1]
        self_by_package[leaf_package] += count
        self_by_function[leaf_function] += count
        for function, package in set(frames):
            inclusive[function] += count
            packages[function] = package
    if not total:
        return {"samples": 0}

    def pct(n: int) -> float:
        return round(100.0 * n / total, 1)

    # Frames under which (nearly) every sample sits (the event loop, the worker's thread) say
    # nothing about a request; the ones below them do.
    telling = [
        (f, n)
        for f, n in inclusive.most_common()
        if n < 0.9 * total and packages[f].startswith(APPLICATION)
    ]
    return {
        "samples": total,
        "self_time_by_package": {
            package: {"self_pct": pct(n)}
            for package, n in self_by_package.most_common(TOP_PACKAGES)
        },
        "heaviest_functions": {
            function: {"inclusive_pct": pct(n), "self_pct": pct(self_by_function[function])}
            for function, n in telling[:TOP_FUNCTIONS]
        },
    }


def profiled_run(
    server: subprocess.Popen[bytes], port: int, script: Path | None, path: str
) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp()) / "profile.txt"
    record = [
        py_spy(),
        "record",
        "--pid",
        str(server.pid),
        "--subprocesses",
        "--nonblocking",
        "--rate",
        str(RATE_HZ),
        "--duration",
        str(DURATION_S),
        "--format",
        "raw",
        "--full-filenames",
        "--output",
        str(out),
    ]
    sampler = subprocess.Popen(record, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result: dict[str, Any] = {}
    before = cpu_seconds(server.pid)

    def load() -> None:
        result.update(run_wrk(port, 8, script, duration_s=DURATION_S, path=path))

    loader = threading.Thread(target=load)
    loader.start()
    loader.join()
    cpu = cpu_seconds(server.pid) - before
    _, errors = sampler.communicate(timeout=60)
    if sampler.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed: {errors.decode(errors='replace')[-500:]}")
    requests = result.get("requests", 0)
    figures = {
        "requests_per_s": result.get("requests_per_s"),
        "p99_ms": result.get("p99_ms"),
        "non_2xx": result.get("non_2xx"),
        "server_cpu_ms_per_request": round(1000 * cpu / requests, 2) if requests else None,
    }
    return {"run": figures, **summarise(out.read_text())}


def run() -> dict[str, object]:
    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    env = without_address_limits(os.environ)
    server = start_server(port, env)
    figures: dict[str, Any] = {"duration_s_each": DURATION_S, "sampling_hz": RATE_HZ}
    runs: dict[str, dict[str, Any]] = {}
    try:
        ready(port)
        paths: dict[str, tuple[Path | None, str]] = {
            "intake": (intake_script(), "/"),
            "healthz": (None, "/healthz"),
            "lookup": (None, LOOKUP),
            "public_report": (None, f"/api/reports/{a_public_report(port)}/"),
            "map_feed_cached": (None, "/api/map/reports.geojson"),
        }
        for name, (script, path) in paths.items():
            run_wrk(port, 8, script, duration_s=2, path=path)  # warm-up (and the map's cache)
            profile = profiled_run(server, port, script, path)
            runs[name] = {**profile.pop("run"), "samples": profile.pop("samples", 0)}
            for key, table in profile.items():
                figures[f"{name}_{key}"] = table
    finally:
        stop_process_group(server)
    figures["runs"] = runs
    # Moved to the front, so the page reads rates first and then where each one's time goes.
    figures = {"runs": figures.pop("runs"), **figures}
    common.write_result("profile_server", figures, targets={})
    return figures
