"""Run the benchmarks: `python -m bench [name ...]` inside the stack (see `make bench`)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import django

BENCHMARKS = [
    "routing_latency",
    "national_lookup",
    "national_real",
    "intake_http",
    "reads_isolation",
    "accepted_to_routed",
    "reroute_1m",
    "console_latency",
    "planner_endpoints",
    "service_layers",
    "fault_outage",
    "map_at_scale",
    "scaling",
    "profile_server",
    "webpush_send",
    "notify_fanout",
    "field_positions",
    "alerts_fanout",
]
# Benchmarks whose run() takes full=True for their long form (--full); quick by default.
HAS_FULL = {"scaling", "field_positions", "alerts_fanout"}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], default=[])
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--full",
        action="store_true",
        help="the long forms too (scaling: up to 10^6 reports; alerts_fanout: in process too)",
    )
    size.add_argument("--quick", action="store_true", help="the quick forms (the default)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")
    django.setup()
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        if name in HAS_FULL:
            module.run(full=args.full)
        else:
            module.run()
    from bench import report

    report.write_performance_doc()
    return 0


if __name__ == "__main__":
    sys.exit(main())
