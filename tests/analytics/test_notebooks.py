"""The planners' notebooks: committed without outputs, and they run against the test database.

Executing them needs nbclient and ipykernel (with nbformat); without them that test is
skipped, saying so. The kernel is another process, so the data it reads is committed
(a transactional test) and it is pointed at the test database through DATABASE_URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.analytics.conftest import BARAT, History

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXPECTED = {
    "hotspots_by_kelurahan.ipynb": ["Barat Utara", "titik rawan / hotspots"],
    "skpd_performance.ipynb": ["dinas-pupr", "Jalan rusak"],
}


def test_it_commits_every_notebook_without_outputs() -> None:
    assert {p.name for p in NOTEBOOKS.glob("*.ipynb")} == set(EXPECTED)
    for path in NOTEBOOKS.glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], path.name
                assert cell["execution_count"] is None, path.name


def test_it_reads_only_the_projects_query_functions() -> None:
    for path in NOTEBOOKS.glob("*.ipynb"):
        source = "".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"])
        assert "from geo_klik.analytics import filters, queries" in source
        for raw in ("cursor", "raw(", "ST_", "SELECT "):
            assert raw not in source, (path.name, raw)


def database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_runs_each_notebook_against_the_test_database(
    name: str, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbclient: Any = pytest.importorskip(
        "nbclient", reason="nbclient is not installed: add nbclient and ipykernel to the lock"
    )
    nbformat: Any = pytest.importorskip(
        "nbformat", reason="nbformat is not installed: add nbclient and ipykernel to the lock"
    )
    pytest.importorskip("ipykernel", reason="ipykernel is not installed: add it to the lock")
    for i in range(12):
        history.add((BARAT[0] + i * 0.00005, BARAT[1]), "road_damage", ack_h=1, resolve_h=i + 2)
    history.refresh()
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setenv("NOTEBOOK_DAYS", "30")
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    text = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    for expected in EXPECTED[name]:
        assert expected in text
