"""The shape of the code: app-to-app imports, cycles, lines per app, long functions.

    .venv/bin/python scripts/architecture.py [--json]

Reads the source with ``ast`` (nothing is imported). An app is a package directly under
``geo_klik/`` (``geo_klik/settings.py`` and the other top-level modules count as ``geo_klik``).
An import inside a function body is reported as hidden: such imports are how a cycle is dodged.
Migrations are left out of the line counts and the long-function counts (they are generated).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "geo_klik"


@dataclass
class Edge:
    count: int = 0
    hidden: int = 0  # imports inside a function body
    where: set[str] = field(default_factory=set)


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1 or not (ROOT / PACKAGE / parts[1]).is_dir():
        return PACKAGE
    return parts[1]


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(tree: ast.Module, module: str, is_package: bool) -> list[tuple[str, bool]]:
    """(imported module, inside a function?) for every import in the module."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                target = resolve(child, module, is_package)
                # "from geo_klik.dispatch import tasks" imports the module tasks.
                for alias in child.names:
                    candidate = f"{target}.{alias.name}"
                    found.append((candidate if is_module(candidate) else target, in_function))
            visit(child, inside)

    visit(tree, False)
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of apps that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def analyse() -> dict[str, object]:
    edges: dict[tuple[str, str], Edge] = defaultdict(Edge)
    lines: dict[str, int] = defaultdict(int)
    long_functions: dict[str, list[tuple[str, int]]] = defaultdict(list)
    hidden_imports: list[str] = []  # geo_klik modules imported inside a function body
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        here = app_of(module)
        if here is None:
            raise SystemExit(f"{path} is outside {PACKAGE}")
        migration = "migrations" in path.parts
        if not migration:
            lines[here] += len(source.splitlines())
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > 30:
                        long_functions[here].append((f"{module}.{node.name}", length))
        for imported, hidden in imports_of(tree, module, path.name == "__init__.py"):
            there = app_of(imported)
            if there is not None and hidden:
                hidden_imports.append(f"{module} -> {imported}")
            if there is None or there == here:
                continue
            edge = edges[(here, there)]
            edge.count += 1
            edge.hidden += hidden
            edge.where.add(module)
    graph: dict[str, set[str]] = defaultdict(set)
    for source_app, target_app in edges:
        graph[source_app].add(target_app)
    all_long = [item for items in long_functions.values() for item in items]
    return {
        "edges": [
            {"from": a, "to": b, "imports": e.count, "inside_functions": e.hidden}
            for (a, b), e in sorted(edges.items())
        ],
        "cycles": strongly_connected(graph),
        "imports_inside_functions": sorted(hidden_imports),
        "lines_per_app": dict(sorted(lines.items())),
        "lines_total": sum(lines.values()),
        "functions_over_30_lines": len(all_long),
        "functions_over_60_lines": len([1 for _, n in all_long if n > 60]),
        "longest_functions": sorted(all_long, key=lambda item: -item[1])[:15],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    result = analyse()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print("App-to-app imports (from -> to: imports, of which inside functions):")
    for edge in result["edges"]:  # type: ignore[attr-defined]
        print(f"  {edge['from']} -> {edge['to']}: {edge['imports']}, {edge['inside_functions']}")
    cycles = result["cycles"]
    print("Cycles:", "none" if not cycles else "")
    for group in cycles:  # type: ignore[attr-defined]
        print("  " + " <-> ".join(group))
    hidden = result["imports_inside_functions"]
    print(f"geo_klik imports inside function bodies: {len(hidden)}")  # type: ignore[arg-type]
    for line in hidden:  # type: ignore[attr-defined]
        print(f"  {line}")
    print("Lines of Python per app (migrations left out):")
    for app, count in result["lines_per_app"].items():  # type: ignore[attr-defined]
        print(f"  {app}: {count}")
    print(f"  total: {result['lines_total']}")
    print(f"Functions over 30 lines: {result['functions_over_30_lines']}")
    print(f"Functions over 60 lines: {result['functions_over_60_lines']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
