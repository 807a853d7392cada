"""Settings come from environment variables; a malformed value names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from geo_klik.lib import env as envlib

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **overrides}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://localhost/geo_klik"),
        ("DATABASE_URL", "postgres://localhost:notaport/geo_klik"),
        ("DATABASE_URL", "postgres://localhost:5432/"),
        ("REDIS_URL", "http://localhost:6379/0"),
        ("REDIS_URL", "redis://localhost:6379/zero"),
        ("DEBUG", "maybe"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("ALLOWED_HOSTS", " , "),
        ("LOG_LEVEL", "LOUD"),
        ("GEO_KLIK_DATA_DIR", "/etc/hostname"),
        ("HEAVY_READ_PATHS", " , "),
        ("HEAVY_READ_CONCURRENCY", "0"),
        ("HEAVY_READ_CONCURRENCY", "1.5"),
        ("HEAVY_READ_QUEUE", "-1"),
        ("HEAVY_READ_WAIT_S", "nan"),
        ("HEAVY_READ_WAIT_S", "-2"),
        ("HEAVY_READ_RETRY_AFTER_S", "0"),
    ],
)
def test_it_refuses_to_start_with_a_malformed_variable(name: str, value: str) -> None:
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert f"Environment variable {name}=" in result.stderr
    assert f"Variabel lingkungan {name} tidak valid" in result.stderr


def test_it_starts_with_valid_variables() -> None:
    result = load_settings(DEBUG="true", PORT="8123", ALLOWED_HOSTS="klik.bukittinggikota.go.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_it_parses_a_database_url() -> None:
    parsed = envlib.parse_database_url(
        "DATABASE_URL", "postgis://klik:s%40cret@db.example:6543/geo?sslmode=require"
    )
    assert parsed["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert parsed["NAME"] == "geo"
    assert parsed["USER"] == "klik"
    assert parsed["PASSWORD"] == "s@cret"
    assert parsed["HOST"] == "db.example"
    assert parsed["PORT"] == "6543"
    assert parsed["OPTIONS"] == {"sslmode": "require"}


def test_it_prefers_the_environment_over_the_stack_file() -> None:
    env = envlib.Env(environ={"PORT": "9000"}, defaults={"PORT": "8000", "DEBUG": "1"})
    assert env.integer("PORT", 1) == 9000
    assert env.boolean("DEBUG", default=False) is True
    assert env.string("SECRET_KEY", "fallback") == "fallback"


def test_it_reads_the_stack_env_file(tmp_path: Path) -> None:
    path = tmp_path / "stack.env"
    path.write_text("# comment\nDATABASE_URL=postgres://a@b:1/c\n\nREDIS_URL = redis://x:2/0\n")
    assert envlib.read_env_file(path) == {
        "DATABASE_URL": "postgres://a@b:1/c",
        "REDIS_URL": "redis://x:2/0",
    }
    assert envlib.read_env_file(tmp_path / "missing.env") == {}


def test_it_runs_django_on_psycopg2_without_a_pool_in_the_process() -> None:
    """psycopg2 is the driver (Django would pick psycopg 3 if it were installed); PgBouncer
    keeps the connections, so each request connects and closes (CONN_MAX_AGE 0, no pool)."""
    assert connection.Database.__name__ == "psycopg2"  # type: ignore[attr-defined]  # backend's
    default = settings.DATABASES["default"]
    assert default["CONN_MAX_AGE"] == 0 and default["CONN_HEALTH_CHECKS"] is True
    options = default["OPTIONS"]
    assert isinstance(options, dict) and "pool" not in options
