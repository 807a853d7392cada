"""Uploaded photos are served from MEDIA_ROOT, and nothing outside it."""

from __future__ import annotations

from pathlib import Path

from django.test import Client, override_settings


def test_it_serves_a_stored_photo_with_long_caching(tmp_path: Path, client: Client) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "ab12.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        response = client.get("/media/photos/ab12.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 jpeg"  # type: ignore[attr-defined]


def test_it_refuses_paths_outside_media_root(tmp_path: Path, client: Client) -> None:
    media = tmp_path / "media"
    media.mkdir()
    (tmp_path / "secret.txt").write_text("no")
    with override_settings(MEDIA_ROOT=str(media)):
        assert client.get("/media/../secret.txt").status_code == 404
        assert client.get("/media/%2e%2e/secret.txt").status_code == 404
        assert client.get("/media/missing.jpg").status_code == 404


def test_it_only_answers_get_and_head(tmp_path: Path, client: Client) -> None:
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        assert client.post("/media/x.jpg").status_code == 405
