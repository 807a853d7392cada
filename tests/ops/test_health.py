"""GET /healthz: PostGIS version and Redis reachability, 503 naming what is down."""

from __future__ import annotations

from django.test import Client, override_settings

from tests.conftest import closed_port


def test_it_reports_ok_with_postgis_version(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["postgis"]["ok"] is True
    assert body["postgis"]["version"].startswith("3.")
    assert body["redis"] == {"ok": True}


def test_it_is_never_cached(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


def test_it_names_redis_when_redis_is_down(db: None, client: Client) -> None:
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == ["redis"]
    assert body["postgis"]["ok"] is True
    assert "redis" in body["message"]


def test_it_names_postgis_when_the_database_is_down(postgres_unreachable: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["postgis"]
    assert body["postgis"]["ok"] is False
    assert body["redis"] == {"ok": True}


def test_it_only_answers_get(db: None, client: Client) -> None:
    assert client.post("/healthz").status_code == 405
