"""The console's change stream (server-sent events) at /api/staff/events/, pushed by PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from pytest_django.fixtures import Settings

from geo_klik.control import events, live
from geo_klik.dispatch.actions import workflow
from geo_klik.dispatch.models import Notification, Unit
from geo_klik.reports.models import Report
from tests.personas import BARAT, TIMUR, Personas

# Long enough for a notification committed now to reach a subscription on this machine.
DELIVERY_S = 3.0
# How long a subscription must stay silent to show a change was not for it.
SILENCE_S = 1.0


def test_it_refuses_anonymous_visitors_and_planners(client: Client, personas: Personas) -> None:
    assert client.get("/api/staff/events/").status_code == 401
    client.force_login(personas.planner)  # type: ignore[arg-type]
    assert client.get("/api/staff/events/").status_code == 403
    client.force_login(personas.outsider)  # type: ignore[arg-type]
    assert client.get("/api/staff/events/").status_code == 403


def test_it_refuses_other_methods(client: Client, personas: Personas) -> None:
    client.force_login(personas.operator)  # type: ignore[arg-type]
    assert client.post("/api/staff/events/").status_code == 405


def test_it_refuses_a_stream_past_the_process_limit_so_threads_stay_for_the_rest(
    client: Client, personas: Personas, settings: Settings
) -> None:
    """Under gunicorn a stream holds a thread for minutes: past the limit the page polls."""
    client.force_login(personas.operator)  # type: ignore[arg-type]
    settings.WEB_STREAMS_PER_PROCESS = 0
    refused = client.get("/api/staff/events/")
    assert refused.status_code == 503
    assert refused["Retry-After"] == str(int(events.LIFETIME_S))
    body = refused.content.decode()
    assert "Terlalu banyak koneksi" in body and "Too many live connections" in body
    settings.WEB_STREAMS_PER_PROCESS = 1
    opened = client.get("/api/staff/events/")
    assert opened.status_code == 200 and opened["Content-Type"] == "text/event-stream"
    opened.close()


@pytest.fixture
def listening() -> Iterator[live.Listener]:
    """The process's listener, listening, and stopped afterwards (a fresh one per test)."""
    live.stop_listener()
    listener = live.listener()
    assert listener.listening.wait(10), "the listener did not connect"
    yield listener
    live.stop_listener()


def inbox(scope: live.Scope | None) -> live.Subscription:
    assert scope is not None
    return live.subscribe(scope)


def heard(subscription: live.Subscription, *, within_s: float = DELIVERY_S) -> list[str]:
    """What the subscription was told within `within_s` (all of it, once something came)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        subscription.wait(deadline - time.monotonic())
        kinds = subscription.take()
        if kinds:
            time.sleep(0.2)  # the rest of the same commit
            return sorted(set(kinds) | set(subscription.take()))
    return []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("listening")
class TestScope:
    def test_it_tells_only_the_agencies_a_routed_report_concerns(
        self, personas: Personas, routed_report: Any
    ) -> None:
        everyone = inbox(events.scope_of(personas.operator))
        pupr = inbox(events.scope_of(personas.pupr))
        polsek = inbox(events.scope_of(personas.polsek))

        routed_report(BARAT, "road_damage")

        assert heard(everyone) == ["reports"]
        assert heard(pupr) == ["reports"]
        assert heard(polsek, within_s=SILENCE_S) == []  # another agency's report: not a hint

        routed_report(TIMUR, "crime")
        assert heard(polsek) == ["reports"]
        assert heard(pupr, within_s=SILENCE_S) == []

    def test_it_tells_city_wide_consoles_of_a_new_report_before_routing(
        self, personas: Personas, make_report: Any
    ) -> None:
        everyone = inbox(events.scope_of(personas.operator))
        pupr = inbox(events.scope_of(personas.pupr))

        make_report(*BARAT, "road_damage")  # accepted, not routed yet: no agency has it

        assert heard(everyone) == ["reports"]
        assert heard(pupr, within_s=SILENCE_S) == []

    def test_it_tells_both_agencies_of_a_transfer_and_no_third(
        self, personas: Personas, routed_report: Any, make_agency: Any
    ) -> None:
        report = routed_report(BARAT, "road_damage")
        bystander = make_agency("dinas-lain")
        polsek = inbox(events.scope_of(personas.polsek))
        pupr = inbox(events.scope_of(personas.pupr))
        other = inbox(live.Scope(city_wide=False, agency_id=bystander.pk))

        workflow.transfer(
            report.pk, user=personas.operator, agency=personas.polsek_agency, reason="salah"
        )

        assert heard(pupr) == ["reports"]  # it left the queue
        assert "reports" in heard(polsek)  # it arrived (and its notification rows)
        assert heard(other, within_s=SILENCE_S) == []

    def test_it_tells_an_agency_of_its_own_units_and_notifications_only(
        self, personas: Personas, routed_report: Any
    ) -> None:
        report = routed_report(BARAT, "road_damage")
        pupr = inbox(events.scope_of(personas.pupr))
        polsek = inbox(events.scope_of(personas.polsek))
        everyone = inbox(events.scope_of(personas.operator))

        with transaction.atomic():  # one commit: both are told together
            Unit.objects.create(agency=personas.polsek_agency, call_sign="P-1", kind="patrol")
            Notification.objects.create(
                dedupe_key="t",
                kind="routed",
                channel=Notification.Channel.EMAIL,
                agency=personas.pupr_agency,
                report=report,
                recipient="pupr@example.org",
            )

        assert heard(polsek) == ["units"]
        assert heard(pupr) == ["notifications"]
        assert heard(everyone) == ["notifications", "units"]

    def test_it_says_nothing_of_a_change_rolled_back(
        self, personas: Personas, make_report: Any
    ) -> None:
        everyone = inbox(events.scope_of(personas.operator))

        class Abandon(Exception):
            pass

        with pytest.raises(Abandon), transaction.atomic():
            make_report(*BARAT, "road_damage")
            raise Abandon

        assert heard(everyone, within_s=SILENCE_S) == []
        assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_reconnects_and_tells_every_console_to_catch_up(
    listening: live.Listener, personas: Personas, routed_report: Any
) -> None:
    pupr = inbox(events.scope_of(personas.pupr))
    polsek = inbox(events.scope_of(personas.polsek))
    with connection.cursor() as cursor:  # PostgreSQL drops the listener's session
        cursor.execute("SELECT pg_terminate_backend(%s)", [listening.backend_pid])

    # Every console re-reads everything: what happened while the listener was deaf is caught up.
    assert heard(pupr, within_s=10) == ["notifications", "reports", "units"]
    assert heard(polsek) == ["notifications", "reports", "units"]
    assert listening.connects == 2
    routed_report(TIMUR, "crime")  # and it listens again
    assert heard(polsek) == ["reports"]
    assert heard(pupr, within_s=SILENCE_S) == []


def test_it_listens_on_the_direct_url_when_a_pooler_is_in_front(
    settings: Settings,
) -> None:
    settings.DATABASE_DIRECT = {
        "NAME": "geo_klik",
        "USER": "app",
        "PASSWORD": "s3cret",
        "HOST": "10.0.0.5",
        "PORT": "5432",
        "OPTIONS": {"sslmode": "require"},
    }
    info = live.conninfo()
    for part in ("host=10.0.0.5", "port=5432", "user=app", "password=s3cret", "sslmode=require"):
        assert part in info
    # The NOTIFYs are sent in the database Django writes to (here the test database).
    assert f"dbname={connections['default'].settings_dict['NAME']}" in info


def test_it_listens_on_the_default_database_otherwise(settings: Settings) -> None:
    settings.DATABASE_DIRECT = None
    assert f"dbname={connections['default'].settings_dict['NAME']}" in live.conninfo()


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "not json",
        "[]",
        '{"k": "reports"}',
        '{"k": "secrets", "a": []}',
        '{"k": "units", "a": ["x"]}',
    ],
)
def test_it_ignores_a_notification_it_does_not_understand(payload: str) -> None:
    assert live.parse(payload) is None


def test_it_reads_a_notification(personas: Personas) -> None:
    assert live.parse('{"k": "units", "a": [3, 5]}') == ("units", [3, 5])


@pytest.mark.django_db(transaction=True)
def test_it_streams_only_the_users_agency_changes_over_http(
    listening: live.Listener,
    personas: Personas,
    routed_report: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(events, "LIFETIME_S", 2.5)
    bodies: dict[str, str] = {}

    def watch(name: str, user: Any) -> None:
        client = Client()
        client.force_login(user)
        response = client.get("/api/staff/events/")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        bodies[name] = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        connections.close_all()

    threads = [
        threading.Thread(target=watch, args=(name, getattr(personas, name)))
        for name in ("operator", "pupr", "polsek")
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the three streams are open
    routed_report(BARAT, "road_damage")
    for thread in threads:
        thread.join(timeout=15)

    for body in bodies.values():
        assert body.startswith("retry: ") and "event: ready" in body
    assert 'data: {"changed": ["reports"]}' in bodies["operator"]
    assert 'data: {"changed": ["reports"]}' in bodies["pupr"]
    assert "event: change" not in bodies["polsek"]  # another agency's report never arrives
    assert events.open_streams == 0


def test_it_sends_a_heartbeat_when_nothing_changes(personas: Personas) -> None:
    subscription = live.Subscription(live.Scope(city_wide=True, agency_id=0))
    quiet = events.Ticker(subscription, lifetime_s=60, heartbeat_s=0)
    assert quiet.step() == ": heartbeat\n\n"


def test_it_folds_changes_that_came_together_into_one_message() -> None:
    subscription = live.Subscription(live.Scope(city_wide=False, agency_id=7))
    ticker = events.Ticker(subscription, lifetime_s=60, heartbeat_s=60)
    subscription.offer(["reports"], [7])
    subscription.offer(["units"], [7, 8])
    subscription.offer(["notifications"], [8])  # not agency 7's
    subscription.offer(["reports"], [7])
    assert ticker.step() == 'id: 1\nevent: change\ndata: {"changed": ["reports", "units"]}\n\n'
    assert ticker.step() is None


def test_it_keeps_a_streams_messages_apart_under_a_surge() -> None:
    subscription = live.Subscription(live.Scope(city_wide=True, agency_id=0))
    ticker = events.Ticker(subscription, lifetime_s=60, heartbeat_s=60)
    assert ticker.gap_s() == 0.0  # the first change goes out at once
    subscription.offer(["reports"], [])
    assert ticker.step() is not None
    assert 0 < ticker.gap_s() <= events.MIN_GAP_S  # the next one waits its turn


@pytest.mark.django_db(transaction=True)
def test_it_holds_no_database_connection_while_a_stream_is_open(
    listening: live.Listener, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "LIFETIME_S", 0.5)
    client = Client()
    client.force_login(personas.pupr)  # type: ignore[arg-type]
    response = client.get("/api/staff/events/")  # the view ran here: user, scope, stream
    assert response.status_code == 200
    assert connection.connection is None  # given back before minutes of streaming
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "event: ready" in body
