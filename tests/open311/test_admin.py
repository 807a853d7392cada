"""Admin of outgoing Open311: the remote's key is write-only; geo_klik itself is refused."""

from __future__ import annotations

from django.test import Client

from geo_klik.open311.models import ExternalServer, OutgoingRequest
from tests.conftest import TinyCity
from tests.open311.test_outgoing import pupr

ADD = "/admin/open311/externalserver/add/"


def form(**fields: str) -> dict[str, str]:
    return {
        "agency": str(pupr().pk),
        "endpoint_url": "https://lapor.pupr.example.id/open311/v2/",
        "api_key": "their-secret-key",
        "jurisdiction_id": "",
        "format": "xml",
        "service_codes": "{}",
        "active": "on",
        "pull_updates": "on",
        **fields,
    }


def test_it_stores_the_key_and_never_shows_it_back(admin_client: Client, city: TinyCity) -> None:
    response = admin_client.post(ADD, form())
    assert response.status_code == 302, response.content[:2000]
    server = ExternalServer.objects.get()
    assert server.api_key == "their-secret-key"

    page = admin_client.get(f"/admin/open311/externalserver/{server.pk}/change/")
    kept = admin_client.post(f"/admin/open311/externalserver/{server.pk}/change/", form(api_key=""))

    assert b"their-secret-key" not in page.content
    assert kept.status_code == 302
    server.refresh_from_db()
    assert server.api_key == "their-secret-key"  # blank keeps it


def test_it_refuses_a_new_server_without_a_key_or_pointing_at_itself(
    admin_client: Client, city: TinyCity, settings: object
) -> None:
    settings.NOTIFY_BASE_URL = "http://localhost:8000"  # type: ignore[attr-defined]
    no_key = admin_client.post(ADD, form(api_key=""))
    itself = admin_client.post(ADD, form(endpoint_url="http://localhost:8000/open311/v2/"))

    assert no_key.status_code == itself.status_code == 200  # the form again, with errors
    assert b"API key is required" in no_key.content
    assert b"reports would loop" in itself.content
    assert not ExternalServer.objects.exists()


def test_it_lists_outgoing_requests_read_only(admin_client: Client, city: TinyCity) -> None:
    response = admin_client.get("/admin/open311/outgoingrequest/")

    assert response.status_code == 200
    assert admin_client.get("/admin/open311/outgoingrequest/add/").status_code == 403
    assert not OutgoingRequest.objects.exists()
