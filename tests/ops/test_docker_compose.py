"""docker-compose.yml: checked by parsing it (no Docker engine on these machines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else str(command)


def test_it_has_the_five_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"postgis", "redis", "web", "worker", "beat"}


def test_it_gives_every_service_a_health_check(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"


def test_it_keeps_state_in_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    assert {"pgdata", "redisdata", "media"} <= declared
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/", "$")):
                used.add(source)
    assert used == declared


def test_it_waits_for_healthy_database_and_redis(compose: dict[str, Any]) -> None:
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["postgis"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_it_runs_the_same_commands_as_make_run(compose: dict[str, Any]) -> None:
    stack_source = (ROOT / "geo_klik" / "ops" / "stack.py").read_text()
    web = command_of(compose["services"]["web"])
    assert "uvicorn geo_klik.asgi:application" in web
    assert '"geo_klik.asgi:application"' in stack_source
    for step in ("migrate", "collectstatic", "provision_data"):
        assert f"manage.py {step}" in web
        assert f'"{step}"' in stack_source
    assert "celery -A geo_klik worker" in command_of(compose["services"]["worker"])
    assert "celery -A geo_klik beat" in command_of(compose["services"]["beat"])


def test_it_points_the_app_at_the_compose_services(compose: dict[str, Any]) -> None:
    env = compose["services"]["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgis:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert compose["services"]["postgis"]["image"].startswith("postgis/postgis:15-")
    assert "8000" in compose["services"]["web"]["ports"][0]


def bind_mount_defaults(compose: dict[str, Any]) -> list[str]:
    """The host side of every bind mount, with ${VAR:-default} replaced by its default."""
    sources = []
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":/", 1)[0]
            if source.startswith("${"):
                source = source.split(":-", 1)[1].rstrip("}")
            if source.startswith((".", "/")):
                sources.append(source)
    return sources


def test_it_needs_nothing_beside_the_clone(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "../" not in text and "shared/data" not in text
    sources = bind_mount_defaults(compose)
    assert sources == ["./data/official"] * 3  # web, worker and beat
    for source in set(sources):
        assert (ROOT / source).is_dir(), f"{source} is not in the repository"


def test_it_uses_the_shipped_layer_unless_an_official_one_is_mounted(
    compose: dict[str, Any],
) -> None:
    env = compose["services"]["web"]["environment"]
    assert env["GEO_KLIK_DATA_DIR"] == "/data/official"
    assert env["GEO_KLIK_BOUNDARY_LAYER"] == "${GEO_KLIK_BOUNDARY_LAYER:-auto}"
    assert (ROOT / "data" / "kelurahan_boundaries" / "bukittinggi" / "kelurahan.geojson").is_file()
    ignored = (ROOT / ".gitignore").read_text()
    assert "/data/official/*" in ignored
    dockerignore = (ROOT / ".dockerignore").read_text().split()
    assert "data" not in dockerignore and "data/kelurahan_boundaries" not in dockerignore


def test_it_names_a_direct_database_session_on_the_same_database(
    compose: dict[str, Any],
) -> None:
    """Connections are pooled in each process: the direct URL is the server itself."""
    environment = compose["x-app"]["environment"]
    assert environment["DATABASE_DIRECT_URL"] == environment["DATABASE_URL"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgis:5432/" in environment["DATABASE_DIRECT_URL"]
