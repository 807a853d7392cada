"""The console's change stream (server-sent events) at /api/staff/events/."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from geo_klik.dispatch import events
from tests.personas import BARAT, TIMUR, Personas


def test_it_refuses_anonymous_visitors_and_planners(client: Client, personas: Personas) -> None:
    assert client.get("/api/staff/events/").status_code == 401
    client.force_login(personas.planner)  # type: ignore[arg-type]
    assert client.get("/api/staff/events/").status_code == 403
    client.force_login(personas.outsider)  # type: ignore[arg-type]
    assert client.get("/api/staff/events/").status_code == 403


def test_it_streams_to_staff(client: Client, personas: Personas, monkeypatch: Any) -> None:
    monkeypatch.setattr(events, "LIFETIME_S", 0.0)  # only the opening, then the stream ends
    client.force_login(personas.pupr)  # type: ignore[arg-type]
    response = client.get("/api/staff/events/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.startswith("retry: ")
    assert "event: ready" in body


def ticker(scope: events.Scope | None) -> events.Ticker:
    assert scope is not None
    made = events.Ticker(scope, lifetime_s=60, heartbeat_s=60)
    assert made.step() is None  # the first reading is the baseline
    return made


def test_it_says_when_a_report_of_the_scope_changes(personas: Personas, routed_report: Any) -> None:
    everyone = ticker(events.scope_of(personas.operator))
    pupr = ticker(events.scope_of(personas.pupr))
    polsek = ticker(events.scope_of(personas.polsek))

    routed_report(BARAT, "road_damage")

    assert 'data: {"changed": ["reports"' in (everyone.step() or "")
    assert "reports" in (pupr.step() or "")
    assert polsek.step() is None  # another agency's report: not even a hint
    assert everyone.step() is None  # said once

    routed_report(TIMUR, "crime")
    assert pupr.step() is None
    assert "reports" in (polsek.step() or "")


def test_it_sends_a_heartbeat_when_nothing_changes(personas: Personas) -> None:
    scope = events.scope_of(personas.operator)
    assert scope is not None
    quiet = events.Ticker(scope, lifetime_s=60, heartbeat_s=0)
    assert quiet.step() == ": heartbeat\n\n"


def test_it_skips_a_tick_when_the_database_is_down(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    watching = ticker(events.scope_of(personas.operator))

    def down(scope: events.Scope) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(events, "signature", down)
    assert watching.step() is None
