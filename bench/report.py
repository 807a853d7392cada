"""Write docs/performance.md from the latest bench/results/*.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import common

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"

HEADER = """# Performance

Measured by `make bench` on this project's machines (Debian 12, 2 cores, 24 GiB), against the
private PostgreSQL 15 + PostGIS 3.3 and Redis that `make run` uses, in a separate database
(`geo_klik_bench`). Raw figures are in `bench/results/*.json`; this page is regenerated from
them after each run. Figures that miss their target are reported as they are.
"""


def load() -> dict[str, dict[str, Any]]:
    results = {}
    for path in sorted(common.RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        results[data["benchmark"]] = data
    return results


def add_notes(path: Path, notes: str) -> None:
    """Keep a benchmark's reading notes (what was measured, why a figure misses) in its result."""
    data = json.loads(path.read_text())
    data["notes"] = notes.strip()
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def is_table(value: object) -> bool:
    """A figure shown as its own table: {row: {column: value}}, every row a dict."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(row, dict) and row for row in value.values())
    )


def table_markdown(rows: dict[str, dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows.values():
        columns.extend(c for c in row if c not in columns)
    lines = ["| | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def write_performance_doc() -> None:
    sections = [HEADER]
    for name, data in load().items():
        sections.append(f"## {name.replace('_', ' ')}\n")
        load_avg = data.get("machine", {}).get("load_average_1_5_15_min")
        when = f"Measured {data['measured_at']}"
        sections.append(f"{when} (load average {load_avg}).\n" if load_avg else f"{when}.\n")
        figures = data["figures"]
        tables = {k: v for k, v in figures.items() if is_table(v)}
        sections.append("| figure | value |\n|---|---|")
        sections.extend(f"| {k} | {v} |" for k, v in figures.items() if k not in tables)
        for key, rows in tables.items():
            sections.append(f"\n{key.replace('_', ' ').capitalize()}:\n")
            sections.append(table_markdown(rows))
        if data.get("targets"):
            targets = ", ".join(f"{k} {v}" for k, v in data["targets"].items())
            sections.append(f"\nTarget: {targets}.")
        if data.get("notes"):
            sections.append(f"\n{data['notes']}")
        sections.append("")
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(sections) + "\n")
