"""Area alerts: one resolution fanned out to 10,000 subscribers, sent once each by e-mail.

10,000 confirmed subscriptions match the report (half by a 2 km radius around points near it,
half by its kelurahan) among 10,000 that do not (another category), all by e-mail to the
local SMTP receiver of ``notify_fanout`` (aiosmtpd), which counts what each address receives.

1. Raw baselines, in this process: the matching query alone (a count), and 10,000 e-mails
   handed straight to the receiver through one SMTP connection (the floor of sending).
2. In process (``--full`` only): the resolution (with its trigger), the fan-out (matching and
   10,000 delivery rows: the time to queue), then ``send_due`` until nothing is due (one
   process, no broker).
3. Through Celery (always): a report resolved while a worker of 2 processes runs: time from
   the resolution to the last delivery recorded sent, and the fan-out's share of it (queued).
Each phase checks that every subscriber received exactly one e-mail, and that a second fan-out
and a sweep afterwards send nothing more.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import signal
import subprocess
import time
from datetime import timedelta
from typing import Any

import redis
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from bench import common
from bench.accepted_to_routed import start_worker
from bench.notify_fanout import Receiver
from geo_klik.alerts import actions, queries
from geo_klik.alerts.models import AlertDelivery, AlertSubscription, AlertTrigger, Subscriber
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo
from geo_klik.notify import outbound
from geo_klik.notify.channels import Rendered
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report, ReportEvent

N = 10_000
# The longest wait for the Celery phase (a loaded 2-core machine sends slower).
DEADLINE_S = 600
PREFIX = "BENCHAF"
DOMAIN = "alerts.bench.example.id"
KEY_SHA = hashlib.sha256(b"bench-alerts-fanout").hexdigest()


def categories() -> tuple[Category, Category]:
    wanted, _ = Category.objects.get_or_create(
        code="bench-alerts", defaults={"name_id": "Bench", "name_en": "Bench", "active": False}
    )
    other, _ = Category.objects.get_or_create(
        code="bench-alerts-other", defaults={"name_id": "Lain", "name_en": "Other", "active": False}
    )
    return wanted, other


def make_subscriptions(kelurahan: Kelurahan, lat: float, lon: float) -> None:
    """N matching subscriptions and N that do not match (another category)."""
    wanted, other = categories()
    subscriber = Subscriber.objects.create(key_sha256=KEY_SHA)
    rng = random.Random(15)
    confirmed = timezone.now() - timedelta(minutes=1)
    rows = []
    for i in range(2 * N):
        by_radius = i % 2 == 0
        # A centre within about 1.2 km of the report, a 2 km radius: it matches.
        c_lat, c_lon = lat + rng.uniform(-0.008, 0.008), lon + rng.uniform(-0.008, 0.008)
        rows.append(
            AlertSubscription(
                subscriber=subscriber,
                channel="email",
                email=f"s{i}@{DOMAIN}",
                kelurahan=None if by_radius else kelurahan,
                center=geo.point(c_lat, c_lon) if by_radius else None,
                radius_m=2000 if by_radius else None,
                confirmed_at=confirmed,
            )
        )
    made = AlertSubscription.objects.bulk_create(rows, batch_size=2000)
    through = AlertSubscription.categories.through
    through.objects.bulk_create(
        [
            through(alertsubscription_id=s.pk, category_id=(wanted if i < N else other).pk)
            for i, s in enumerate(made)
        ],
        batch_size=5000,
    )


def make_report(tag: str, lat: float, lon: float) -> Report:
    wanted, _ = categories()
    report, _ = report_actions.create_report(
        category=wanted, lat=lat, lon=lon, description="benchmark alerts"
    )
    Report.objects.filter(pk=report.pk).update(tracking_code=f"{PREFIX}{tag}{report.pk}"[:16])
    report.refresh_from_db()
    return report


def once_each(receiver: Receiver) -> dict[str, int]:
    wanted = [f"s{i}@{DOMAIN}" for i in range(N)]
    counts = [receiver.received[w] for w in wanted]
    unwanted = sum(receiver.received[f"s{i}@{DOMAIN}"] for i in range(N, 2 * N))
    return {
        "subscribers": len(wanted),
        "received_once": sum(c == 1 for c in counts),
        "received_twice_or_more": sum(c > 1 for c in counts),
        "missing": sum(c == 0 for c in counts),
        "sent_to_non_matching": unwanted,
    }


def raw_send(n: int) -> float:
    connection = outbound.email_connection()
    rendered = Rendered(subject="[KLIK] bench", text="text", url="https://x.example/", lang="id")
    started = time.perf_counter()
    for i in range(n):
        outbound.send_email(f"raw{i}@{DOMAIN}", rendered, connection=connection)
    connection.close()
    return time.perf_counter() - started


def remove() -> None:
    Report.objects.filter(tracking_code__startswith=PREFIX).delete()
    Subscriber.objects.filter(key_sha256=KEY_SHA).delete()


def in_process(receiver: Receiver, lat: float, lon: float) -> dict[str, Any]:
    report = make_report("a", lat, lon)
    started = time.perf_counter()
    report_actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
    resolve_s = time.perf_counter() - started
    trigger = AlertTrigger.objects.get(report=report, kind="resolved")
    match_started = time.perf_counter()
    matched = queries.matching(trigger, queries.report_for_matching(report.pk)).count()  # type: ignore[arg-type]
    match_s = time.perf_counter() - match_started
    started = time.perf_counter()
    due = actions.fan_out(report.pk, "resolved")
    queue_s = time.perf_counter() - started
    started = time.perf_counter()
    while actions.send_due(limit=10 * N, budget_s=600):
        pass
    send_s = time.perf_counter() - started
    receiver.wait_for(N, timeout_s=30)
    again = actions.fan_out(report.pk, "resolved") + actions.sweep()["tried"]
    return {
        "resolve_ms": round(resolve_s * 1000, 2),
        "raw_matching_count_s": round(match_s, 3),
        "matched": matched,
        "queue_fan_out_s": round(queue_s, 3),
        "queued": due,
        "send_s": round(send_s, 3),
        "sent_per_s": round(N / send_s, 1),
        "sent_again_after_retry_and_sweep": again,
        **once_each(receiver),
    }


def via_celery(receiver: Receiver, mail: dict[str, Any], lat: float, lon: float) -> dict[str, Any]:
    report = make_report("b", lat, lon)
    # Short batches, so the worker's warm shutdown at the end does not wait out a long one.
    env = {**os.environ, **{k: str(v) for k, v in mail.items()}, "ALERTS_SEND_BUDGET_S": "5"}
    worker = start_worker(env, "bench-alerts", processes=2)
    try:
        started = time.perf_counter()
        report_actions.change_status(report, Report.Status.RESOLVED, actor=ReportEvent.Actor.STAFF)
        trigger = AlertTrigger.objects.filter(report=report, fanned_out_at__isnull=False)
        deadline = time.monotonic() + DEADLINE_S
        while not trigger.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        queued_s = time.perf_counter() - started
        sent = AlertDelivery.objects.filter(trigger__report=report, status="sent")
        while sent.count() < N and time.monotonic() < deadline:
            time.sleep(0.1)
        total_s = time.perf_counter() - started
    finally:
        stop_worker(worker)
    receiver.wait_for(N, timeout_s=30)
    return {
        "resolution_to_fanned_out_s": round(queued_s, 3),
        "resolution_to_last_sent_s": round(total_s, 3),
        "sent_per_s": round(N / total_s, 1),
        **once_each(receiver),
    }


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (the running batch finishes), else the worker's whole process group."""
    worker.terminate()
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


def run(*, full: bool = False) -> dict[str, Any]:
    # aiosmtpd logs every command at INFO: 10,000 messages of it would be measured too.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    remove()
    receiver = Receiver()
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": receiver.port,
    }
    kelurahan = Kelurahan.objects.defer("boundary").order_by("code_kemendagri").first()
    if kelurahan is None or kelurahan.label_point is None:
        raise RuntimeError("alerts_fanout needs the kelurahan loaded (make up)")
    lat, lon = geo.lat_lon(kelurahan.label_point)
    figures: dict[str, Any] = {"subscribers": N, "machine_at_start": common.machine()}
    phases: dict[str, dict[str, Any]] = {}
    figures["phases"] = phases  # one table in docs/performance.md
    try:
        with override_settings(**mail):
            started = time.perf_counter()
            make_subscriptions(kelurahan, lat, lon)
            figures["setup_subscriptions_s"] = round(time.perf_counter() - started, 3)
            figures["raw_send_s"] = round(raw_send(N), 3)
            figures["raw_sent_per_s"] = round(N / figures["raw_send_s"], 1)
            if full:  # one process, no broker: the cost of sending alone (--full)
                receiver.received.clear()
                phases["in_process"] = in_process(receiver, lat, lon)
                print(f"[bench] alerts_fanout in process: {phases['in_process']}", flush=True)
            receiver.received.clear()
            redis.Redis.from_url(settings.REDIS_URL).flushdb()
            phases["via_celery"] = via_celery(receiver, mail, lat, lon)
    finally:
        receiver.controller.stop()
        remove()
    common.write_result(
        "alerts_fanout",
        figures,
        targets={"received_twice_or_more": 0, "missing": 0, "sent_to_non_matching": 0},
    )
    return figures
