"""The /control/ console: staff roles only; data comes from the staff API."""

from __future__ import annotations

from django.test import Client

from tests.personas import Personas


def test_it_sends_anonymous_visitors_to_the_staff_login(client: Client, personas: Personas) -> None:
    response = client.get("/control/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_it_opens_for_working_roles_only(client: Client, personas: Personas) -> None:
    for user, expected in (
        (personas.operator, 200),
        (personas.pupr, 200),
        (personas.supervisor, 200),
        (personas.planner, 403),
        (personas.outsider, 403),
    ):
        client.force_login(user)  # type: ignore[arg-type]
        response = client.get("/control/")
        assert response.status_code == expected, user
        if expected == 200:
            page = response.content.decode()
            assert "/api/staff/reports/" in page
            assert "vendor/leaflet/leaflet.js" in page  # served locally, no CDN


def test_it_speaks_indonesian_first_and_english_on_request(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.operator)  # type: ignore[arg-type]
    page = client.get("/control/").content.decode()
    assert "Ruang kendali KLIK" in page
    assert "Klaim dan tangani" in page  # the script's strings, translated on the server
    assert "/api/staff/events/" in page
    english = client.get("/control/", headers={"Accept-Language": "en"}).content.decode()
    assert "KLIK control room" in english
    assert "Claim and acknowledge" in english


def test_it_offers_every_service_area_layer_on_its_map(client: Client, personas: Personas) -> None:
    import json
    import re

    from geo_klik.lib import layers

    client.force_login(personas.operator)  # type: ignore[arg-type]
    page = client.get("/control/").content.decode()
    assert "/static/maps/service_layers.js" in page
    found = re.search(r'id="control-config"[^>]*>(.*?)</script>', page, re.S)
    assert found is not None
    config = json.loads(found[1])
    keys = [layer["key"] for layer in config["layers"]["layers"]]
    assert keys == [layer.key for layer in layers.all_layers(include_staff=True)]
    assert {"offices", "places", "businesses"} <= set(keys)
