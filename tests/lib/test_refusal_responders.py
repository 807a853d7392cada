"""lib's middleware answers in a client's own error shape only through REFUSAL_RESPONDERS."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils.module_loading import import_string
from pytest_django.fixtures import Settings

from geo_klik.lib import errors


def teapot(request: HttpRequest, status: int, problem: errors.Problem) -> HttpResponse:
    """A responder of a made-up client, to prove the setting is what decides."""
    return HttpResponse(f"{status} {problem.field} {problem.code}", status=418)


def test_open311_is_wired_by_the_setting(client: Client, settings: Settings) -> None:
    settings.REFUSAL_RESPONDERS = {}
    response = client.get("/open311/v2/requests.json?service_code=%00")
    assert response.status_code == 400
    # Without its responder Open311 gets the JSON API's shape, not its own array of errors.
    assert response.json()["errors"][0]["code"] == "invalid_characters"


def test_a_configured_responder_answers_its_prefix_only(client: Client, settings: Settings) -> None:
    settings.REFUSAL_RESPONDERS = {"/api/boundaries/": f"{__name__}.teapot"}
    answered = client.get("/api/boundaries/?q=%00")
    assert answered.status_code == 418 and answered.content.startswith(b"400 ")
    other = client.get("/api/categories/?q=%00", HTTP_ACCEPT="application/json")
    assert other.status_code == 400 and "errors" in other.json()


def test_the_shipped_setting_names_an_importable_responder(settings: Settings) -> None:
    for dotted_path in settings.REFUSAL_RESPONDERS.values():
        assert callable(import_string(dotted_path))
