"""Field units' positions: 200 units on duty sending every 15 s, 5 consoles watching.

The system runs as in `make run` (uvicorn). 200 officers are on duty with 200 units of one
agency; each phone posts its unit's position to `/petugas/api/position/` every 15 s (moving
about 60 m each time, so every fix is kept), staggered over the 15 s like real phones. Five
consoles (operators) listen to `/api/staff/events/` as the console's unit layer does: a
"positions" change carries the moves, which the console applies; a "units" change (or a unit not
known yet) makes it re-read the board `/api/staff/units/board/`.

- Position-to-console latency: from the 200 of a position's POST to the moment a console has
  it (the change message carrying it, or a board read); every console's every position is a
  sample.
- Database load it adds: transactions, rows inserted/updated/fetched and blocks read per second
  (pg_stat_database of the bench database) with the 5 consoles open, first while no phone sends
  (the raw baseline, same run), then while the 200 units send.

Quick by default (two 15 s rounds after a warm-up round); `--full` runs ten rounds.
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

import stack.base
from bench import common
from bench.console_latency import STATS_SETTLE_S
from bench.intake_http import start_server, stop_process_group
from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.dispatch.actions import units as unit_actions
from geo_klik.dispatch.models import Shift, Unit, UnitAssignment, UnitPosition

UNITS = 200
CONSOLES = 5
PERIOD_S = 15.0
SENDERS = 8  # threads, each posting for UNITS / SENDERS phones over one connection
PREFIX = "bench-field"
# Bukittinggi's centre; each unit starts on its own spot and walks east about 60 m a fix.
LAT0, LON0 = -0.305, 100.369
STEP_DEG = 0.00055


def setup_units() -> tuple[list[tuple[int, str]], str]:
    """200 units, each with an officer on duty and an API token; an operator's session."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = get_user_model().objects.filter(username__startswith=PREFIX)
    Shift.objects.filter(officer__in=users).delete()
    UnitPosition.objects.filter(unit__call_sign__startswith=PREFIX).delete()
    UnitAssignment.objects.filter(unit__call_sign__startswith=PREFIX).delete()
    Unit.objects.filter(call_sign__startswith=PREFIX).delete()
    users.delete()
    agency, _ = Agency.objects.get_or_create(
        code=PREFIX,
        defaults={"name_id": "Bench Lapangan", "name_en": "Bench Field", "kind": "dinas"},
    )
    phones = []
    for i in range(UNITS):
        user = account_actions.create_staff_user(
            f"{PREFIX}-{i}", role=roles.SKPD_STAFF, password=uuid.uuid4().hex, agency=agency
        )
        unit = Unit.objects.create(agency=agency, call_sign=f"{PREFIX}-{i}", kind="motorbike")
        unit_actions.start_shift(unit.pk, user=user)
        phones.append((i, account_actions.issue_api_token(user).key))  # type: ignore[arg-type]
    operator = account_actions.create_staff_user(
        f"{PREFIX}-operator", role=roles.OPERATOR, password=uuid.uuid4().hex
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(operator)  # type: ignore[arg-type]  # the stubs want auth.User
    return phones, str(client.cookies["sessionid"].value)


class Console(threading.Thread):
    """An open console's unit layer: the event stream, and a board re-read on each change."""

    def __init__(self, port: int, session: str) -> None:
        super().__init__(daemon=True)
        self.port, self.headers = port, {"Cookie": f"sessionid={session}"}
        self.seen: dict[tuple[str, float, float], float] = {}
        self.names: dict[int, str] = {}
        self.messages = 0
        self.ready = threading.Event()
        self.changed = threading.Event()
        self.reads = 0
        self.failed_reads = 0

    def read_board(self, conn: http.client.HTTPConnection) -> None:
        conn.request("GET", "/api/staff/units/board/", headers=self.headers)
        response = conn.getresponse()
        body = response.read()
        self.reads += 1
        if response.status != 200:
            self.failed_reads += 1
            return
        now = time.monotonic()
        for row in json.loads(body)["results"]:
            self.names[row["id"]] = row["call_sign"]
            if row["lat"] is not None:
                self.seen.setdefault((row["call_sign"], row["lat"], row["lon"]), now)

    def take(self, data: dict[str, Any]) -> None:
        """A change message: the moves it carries are applied as the console's layer does;
        anything else (or a unit not known yet) makes it re-read the board."""
        now = time.monotonic()
        self.messages += 1
        kinds, moves = data.get("changed", []), data.get("positions") or []
        known = all(m[0] in self.names for m in moves)
        for unit_id, lat, lon, _ in moves:
            if unit_id in self.names:
                self.seen.setdefault((self.names[unit_id], lat, lon), now)
        if "units" in kinds or ("positions" in kinds and not (moves and known)):
            self.changed.set()

    def refresher(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while True:
            self.changed.wait()
            self.changed.clear()
            try:
                self.read_board(conn)
            except (OSError, http.client.HTTPException, ValueError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def run(self) -> None:
        stream = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        stream.request("GET", "/api/staff/events/", headers=self.headers)
        response = stream.getresponse()
        threading.Thread(target=self.refresher, daemon=True).start()
        self.changed.set()  # the opening read, as the console's page does
        event = b""
        while True:
            line = response.fp.readline()
            if not line:
                break
            if line.startswith(b"event:"):
                event = line[6:].strip()
                if event == b"ready":
                    self.ready.set()
            elif line.startswith(b"data:") and event == b"change":
                self.take(json.loads(line[5:]))


class Sender(threading.Thread):
    """Posts the positions of its share of the phones, each every PERIOD_S, staggered."""

    def __init__(self, port: int, phones: list[tuple[int, str]], rounds: range, t0: float) -> None:
        super().__init__(daemon=True)
        self.port, self.phones, self.rounds, self.t0 = port, phones, rounds, t0
        self.accepted: dict[tuple[str, float, float], float] = {}
        self.failed = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        first = self.rounds.start
        schedule = sorted(
            (self.t0 + (r - first) * PERIOD_S + i * PERIOD_S / UNITS, r, i, token)
            for r in self.rounds
            for i, token in self.phones
        )
        for at, r, i, token in schedule:
            time.sleep(max(0.0, at - time.monotonic()))
            lat = round(LAT0 + (i // 20) * 0.001, 6)
            lon = round(LON0 + (i % 20) * 0.001 + r * STEP_DEG, 6)
            body = json.dumps({"lat": lat, "lon": lon, "accuracy_m": 10})
            headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
            try:
                conn.request("POST", "/petugas/api/position/", body, headers)
                response = conn.getresponse()
                answer = json.loads(response.read())
            except (OSError, http.client.HTTPException, ValueError):
                self.failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            if response.status == 200 and answer.get("kept"):
                self.accepted[(f"{PREFIX}-{i}", lat, lon)] = time.monotonic()
            else:
                self.failed += 1


def counters() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_fetched,"
            " blks_read + blks_hit FROM pg_stat_database WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    names = ("transactions", "rows_inserted", "rows_updated", "rows_fetched", "blocks_touched")
    return dict(zip(names, (int(x) for x in row or (0,) * 5), strict=True))


def rates(before: dict[str, int], after: dict[str, int], window_s: float) -> dict[str, float]:
    return {f"{k}_per_s": round((after[k] - before[k]) / window_s, 1) for k in before}


def run(*, full: bool = False) -> dict[str, Any]:
    rounds = 10 if full else 2
    phones, session = setup_units()
    port = stack.base.pick_port(Path(tempfile.gettempdir()) / "geo_klik-bench-port", 58200)
    server = start_server(port, {**os.environ})
    consoles = [Console(port, session) for _ in range(CONSOLES)]
    figures: dict[str, Any] = {
        "load_average_1_5_15_min_at_start": common.machine()["load_average_1_5_15_min"],
        "units": UNITS,
        "period_s": PERIOD_S,
        "consoles": CONSOLES,
        "rounds_measured": rounds,
    }
    try:
        for console in consoles:
            console.start()
        for console in consoles:
            if not console.ready.wait(30):
                raise RuntimeError("a console did not connect within 30 s")
        # The raw baseline: the consoles open, no phone sending.
        time.sleep(STATS_SETTLE_S)
        before = counters()
        time.sleep(PERIOD_S)
        idle = rates(before, counters(), PERIOD_S)
        # One warm-up round (connections, caches), then the measured rounds.
        groups = [phones[k::SENDERS] for k in range(SENDERS)]
        warm = [Sender(port, g, range(0, 1), time.monotonic() + 0.5) for g in groups]
        for s in warm:
            s.start()
        for s in warm:
            s.join()
        reads_before = sum(c.reads for c in consoles)
        messages_before = sum(c.messages for c in consoles)
        before = counters()
        started = time.monotonic()
        t0 = started + 0.5
        # Rounds 1..: every fix a new place (the warm-up was round 0).
        senders = [Sender(port, g, range(1, 1 + rounds), t0) for g in groups]
        for s in senders:
            s.start()
        for s in senders:
            s.join()
        window_s = time.monotonic() - started
        busy = rates(before, counters(), window_s)
        accepted: dict[tuple[str, float, float], float] = {}
        for s in senders:
            accepted.update(s.accepted)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(
            set(accepted) <= set(c.seen) for c in consoles
        ):
            time.sleep(0.1)
        board_reads = sum(c.reads for c in consoles) - reads_before
        messages = sum(c.messages for c in consoles) - messages_before
    finally:
        stop_process_group(server)
    latencies = [
        console.seen[key] - at
        for console in consoles
        for key, at in accepted.items()
        if key in console.seen
    ]
    figures.update(
        positions_sent=rounds * UNITS,
        positions_kept=len(accepted),
        failed_posts=sum(s.failed for s in senders),
        samples_expected=len(accepted) * CONSOLES,
        samples_seen=len(latencies),
        board_reads_per_s=round(board_reads / window_s, 1),
        change_messages_per_console_per_s=round(messages / CONSOLES / window_s, 1),
        failed_board_reads=sum(c.failed_reads for c in consoles),
        database_load={
            "5 consoles open, no phone (baseline)": idle,
            "200 units sending every 15 s": busy,
            "added by the positions": {k: round(busy[k] - idle[k], 1) for k in busy},
        },
    )
    if latencies:
        figures.update(common.summary_ms(latencies))
    common.write_result(
        "field_positions",
        figures,
        targets={"p95_ms": "under 2000 (the console shows a move within 2 s)"},
    )
    return figures
