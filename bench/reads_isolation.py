"""Reads never starve intake: simple reads per second, and intake while 50 viewers load the map.

Against the web server as `make run` starts it (gunicorn, 2 workers of 256 threads, through
PgBouncer, the heavy-read limiter of geo_klik/lib/backpressure.py), with wrk on loopback:

1. simple reads at concurrency 8: /healthz, /api/boundaries/lookup and a report's public view
   /api/reports/<code>/ (target: 1,000/s each);
2. report intake alone at concurrency 8 (the baseline of this run);
3. report intake at concurrency 8 while 50 viewers fetch /api/map/reports.geojson and /peta/
   back to back (a viewer told 503 waits its Retry-After, as the map page does), with the
   limiter as configured, and again with the limiter off (HEAVY_READ_PATHS pointing nowhere):
   the same load without isolation, measured in the same run.

About 80 s; BENCH_DURATION_S (default 10) sets the length of each wrk run.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import stack.base
from bench import common
from bench.intake_http import (
    DURATION_S,
    intake_script,
    measured,
    parse_wrk,
    ready,
    run_wrk,
    start_server,
    stop_process_group,
    without_address_limits,
    wrk_command,
)

VIEWERS = 50
# A point inside the city (Jam Gadang) for the boundary lookup.
LOOKUP = "/api/boundaries/lookup?lat=-0.3051&lon=100.3693"
# The map's viewers: the feed and the page, in turn; a 503 makes the thread wait Retry-After.
VIEWER_SCRIPT = """
local paths = {"/api/map/reports.geojson", "/peta/"}
local n = 0
local wait_ms = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
response = function(status, headers, body)
  if status == 503 then
    wait_ms = 1000 * (tonumber(headers["Retry-After"] or headers["retry-after"] or "1") or 1)
  else
    wait_ms = 0
  end
end
delay = function()
  return wait_ms
end
"""


def viewer_script() -> Path:
    path = Path(tempfile.mkdtemp()) / "viewers.lua"
    path.write_text(VIEWER_SCRIPT)
    return path


def a_public_report(port: int) -> str:
    """The tracking code of a report made through the API for this run."""
    body = json.dumps(
        {"category": "garbage", "lat": -0.3051, "lon": 100.3693, "description": "bench: baca"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/reports/",
        data=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return str(json.load(response)["tracking_code"])


def intake_under_map_load(port: int, intake: Path, viewers: Path) -> dict[str, Any]:
    """Intake at concurrency 8 for DURATION_S while VIEWERS viewers load the map."""
    crowd = subprocess.Popen(
        # A viewer waits as long as a browser would, not wrk's default 2 s.
        wrk_command(port, VIEWERS, viewers, duration_s=DURATION_S + 4, timeout_s=30),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2)  # the crowd is there first
        figures = {"intake_c8": run_wrk(port, 8, intake)}
    finally:
        output, _ = crowd.communicate(timeout=DURATION_S + 60)
    map_figures = parse_wrk(output)
    map_figures["served_per_s"] = map_figures.pop("reports_per_s", 0.0)
    figures[f"map_{VIEWERS}_viewers"] = map_figures
    return figures


def serve(port: int, env: dict[str, str]) -> Any:
    server = start_server(port, env)
    ready(port)
    return server


def stop(server: Any) -> None:
    stop_process_group(server)


def run() -> dict[str, object]:
    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58000)
    intake, viewers = intake_script(), viewer_script()
    env = without_address_limits(os.environ)
    figures: dict[str, Any] = {
        "duration_s_each": DURATION_S,
        "web_workers": int(env.get("WEB_CONCURRENCY", "2")),
        "viewers": VIEWERS,
    }
    server = serve(port, env)
    try:
        code = a_public_report(port)
        reads = {"healthz": "/healthz", "lookup": LOOKUP, "public_report": f"/api/reports/{code}/"}
        for name, path in reads.items():
            run_wrk(port, 8, None, duration_s=2, path=path)  # warm-up
            figures[f"{name}_c8"] = measured(
                server, functools.partial(run_wrk, port, 8, None, path=path)
            )
        run_wrk(port, 8, intake, duration_s=3)  # warm-up
        figures["intake_alone_c8"] = measured(server, functools.partial(run_wrk, port, 8, intake))
        figures["with_limiter"] = intake_under_map_load(port, intake, viewers)
    finally:
        stop(server)
    server = serve(port, {**env, "HEAVY_READ_PATHS": "/no-heavy-reads/"})
    try:
        figures["without_limiter"] = intake_under_map_load(port, intake, viewers)
    finally:
        stop(server)
    for name in reads:
        figures[f"{name}_per_s"] = figures[f"{name}_c8"]["requests_per_s"]
    loaded = figures["with_limiter"]["intake_c8"]
    figures["intake_under_map_load_reports_per_s"] = loaded.get("reports_per_s", 0.0)
    figures["intake_under_map_load_p99_ms"] = loaded.get("p99_ms")
    common.write_result(
        "reads_isolation",
        figures,
        targets={
            "healthz_per_s": 1000,
            "lookup_per_s": 1000,
            "public_report_per_s": 1000,
            "intake_under_map_load_reports_per_s": 500,
            "intake_under_map_load_p99_ms": 50,
        },
    )
    return figures
