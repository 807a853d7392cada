"""docker-compose.yml: checked by parsing it (no Docker engine on these machines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings as django_settings

import stack.cli
import stack.pgbouncer
import stack.postgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else str(command)


def test_it_has_the_six_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"postgis", "pgbouncer", "redis", "web", "worker", "beat"}


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
        assert depends["pgbouncer"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    assert compose["services"]["pgbouncer"]["depends_on"]["postgis"]["condition"] == (
        "service_healthy"
    )


def test_it_runs_the_same_commands_as_make_run(compose: dict[str, Any]) -> None:
    commands = {
        name: " ".join(command)
        for name, command in stack.cli.server_commands(
            host="0.0.0.0",  # noqa: S104 - as in the container
            port=8000,
            beat_schedule=Path("beat-schedule"),
        ).items()
    }
    # The stack provisions through one command of the project (it never imports Django).
    assert '"provision_local"' in (ROOT / "stack" / "services.py").read_text()
    provision_source = (
        ROOT / "geo_klik" / "ops" / "management" / "commands" / "provision_local.py"
    ).read_text()
    web = command_of(compose["services"]["web"])
    # The same server with the same options (threads, trusted proxies, timeouts) as make run.
    server = commands["web"].split(" -m ", 1)[1]
    assert server.startswith("gunicorn geo_klik.wsgi:application --bind 0.0.0.0:8000 ")
    assert f"exec python -m {server}" in " ".join(web.split())
    for step in ("migrate", "collectstatic", "provision_data"):
        assert f"manage.py {step}" in web
        assert f'"{step}"' in provision_source
    for name in ("worker", "beat"):
        assert f"celery -A geo_klik {name}" in command_of(compose["services"][name])
        assert f"-m celery -A geo_klik {name} --loglevel INFO" in commands[name]


def test_it_points_the_app_at_the_compose_services(compose: dict[str, Any]) -> None:
    env = compose["services"]["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@pgbouncer:5432/" in env["DATABASE_URL"]
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


def test_it_pools_connections_with_pgbouncer_in_session_mode(compose: dict[str, Any]) -> None:
    """The app reaches PostgreSQL through PgBouncer, set up as the stack sets up its own."""
    environment = compose["x-app"]["environment"]
    pooled = urlsplit(environment["DATABASE_URL"])
    direct = urlsplit(environment["DATABASE_DIRECT_URL"])
    assert (pooled.hostname, pooled.port, direct.hostname, direct.port) == (
        "pgbouncer",
        5432,
        "postgis",
        5432,
    )
    postgis = compose["services"]["postgis"]["environment"]
    assert pooled.path == direct.path == f"/{postgis['POSTGRES_DB']}"
    assert pooled.username == direct.username == postgis["POSTGRES_USER"]
    assert pooled.password == direct.password == postgis["POSTGRES_PASSWORD"]

    bouncer = compose["services"]["pgbouncer"]
    image, tag = bouncer["image"].rsplit(":", 1)
    assert image == "edoburu/pgbouncer" and tag not in {"", "latest"}
    settings = {key.lower(): str(value) for key, value in bouncer["environment"].items()}
    assert (settings["db_host"], settings["db_port"], settings["listen_port"]) == (
        "postgis",
        "5432",
        "5432",
    )
    assert (settings["db_user"], settings["db_password"]) == (
        postgis["POSTGRES_USER"],
        postgis["POSTGRES_PASSWORD"],
    )
    # The private stack's pgbouncer.ini: every pooling setting the same in both places.
    ini = dict(
        line.split(" = ", 1)
        for line in stack.pgbouncer.PGBOUNCER_INI.splitlines()
        if " = " in line and not line.startswith((";", "*"))
    )
    for key in (
        "pool_mode",
        "server_reset_query",
        "default_pool_size",
        "max_user_connections",
        "max_client_conn",
        "server_check_query",
        "server_check_delay",
        "server_login_retry",
        "server_lifetime",
        "server_idle_timeout",
    ):
        assert settings[key] == ini[key], key
    assert settings["pool_mode"] == "session" and settings["server_reset_query"] == "DISCARD ALL"
    # The kept web connections (geo_klik/lib/kept_connections.py) and Celery's two processes and
    # beat fit the pool with room for the threads that connect per request: a pool smaller than
    # the kept sessions would leave requests waiting for a session no one frees.
    web = stack.cli.server_commands(host="0.0.0.0", port=8000, beat_schedule=Path("b"))["web"]  # noqa: S104
    workers = int(web[web.index("--workers") + 1])
    kept = workers * django_settings.WEB_KEPT_CONNECTIONS + 3
    assert int(ini["default_pool_size"]) >= kept + 16  # 16 threads connecting per request at once
    assert int(ini["max_user_connections"]) < stack.postgres.MAX_CONNECTIONS - 20
    assert settings["query_wait_timeout"] == str(stack.pgbouncer.PGBOUNCER_QUERY_WAIT_TIMEOUT_S)
    assert "pg_isready" in " ".join(bouncer["healthcheck"]["test"])


def test_it_migrates_and_provisions_past_the_pooler(compose: dict[str, Any]) -> None:
    web = command_of(compose["services"]["web"])
    for step in ("migrate", "provision_data"):  # $$: compose's escape for the shell's $
        assert f"DATABASE_URL=$$DATABASE_DIRECT_URL python manage.py {step}" in web


def test_it_shares_one_vapid_key_pair_between_web_and_worker(compose: dict[str, Any]) -> None:
    # NOTIFY_VAPID_DIR defaults to <repo>/var/vapid, /app/var/vapid in the image.
    for name in ("web", "worker"):
        service = compose["services"][name]
        assert "vapid:/app/var/vapid" in service["volumes"], name
        assert "NOTIFY_VAPID_DIR" not in service["environment"]
    assert "vapid" in compose["volumes"]
    assert "var/vapid" in (ROOT / "Dockerfile").read_text()
