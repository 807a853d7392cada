"""Notifying reporters: 1,000 public changes, each to its own reporter by e-mail, sent once.

1. Raw baselines, in this process: 1,000 status changes on reports without a contact (the cost
   of a change before notify), and 1,000 e-mails handed straight to the local SMTP receiver
   through Django's backend (the cost of sending, before any queueing).
2. Queue: the same 1,000 changes on reports with a contact; the extra time is what notify adds
   to a change (joining the message in the change's transaction, queueing after commit).
3. Send, in process: the sweep seals every due message and sends every delivery (no broker).
4. Send through Celery: 1,000 more changes queued while a worker of 2 processes runs, timed
   from the first change to the last delivery recorded sent.
Each phase checks that the receiver got exactly one e-mail per reporter (nothing twice).
"""

from __future__ import annotations

import collections
import os
import socket
import time
from typing import Any

import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models.signals import post_save
from django.test import override_settings

from bench import common
from bench.accepted_to_routed import start_worker, stop
from geo_klik.lib import geo
from geo_klik.notify import actions, receivers
from geo_klik.notify.models import Delivery, ReporterContact
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report, ReportEvent, hash_reporter_secret

N = 1000
PREFIX = "BENCHNF"


class Receiver:
    """A local SMTP server counting messages per recipient."""

    def __init__(self) -> None:
        self.received: collections.Counter[str] = collections.Counter()
        outer = self

        class Handler:
            async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
                outer.received.update(envelope.rcpt_tos)
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait_for(self, total: int, *, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while sum(self.received.values()) < total and time.monotonic() < deadline:
            time.sleep(0.05)


def make_reports(tag: str, n: int, *, with_contact: bool) -> list[Report]:
    category, _ = Category.objects.get_or_create(
        code="bench-notify", defaults={"name_id": "Bench", "name_en": "Bench", "active": False}
    )
    reports = Report.objects.bulk_create(
        Report(
            tracking_code=f"{PREFIX}{tag}{i:05d}"[:16],
            category=category,
            location=geo.point(-0.305, 100.369),
            description="benchmark notify",
            reporter_secret_sha256=hash_reporter_secret(f"bench-secret-{tag}-{i}"),
        )
        for i in range(n)
    )
    if with_contact:
        ReporterContact.objects.bulk_create(
            ReporterContact(
                report=r,
                email=f"warga+{r.pk}@example.id",
                channels=["email"],
                notify_from=r.created_at,
            )
            for r in reports
        )
    return reports


def change_all(reports: list[Report]) -> float:
    started = time.perf_counter()
    for report in reports:
        report_actions.change_status(
            report, Report.Status.ACKNOWLEDGED, actor=ReportEvent.Actor.STAFF
        )
    return time.perf_counter() - started


def raw_send(receiver: Receiver, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        EmailMessage(
            "[KLIK] bench",
            "text",
            settings.DEFAULT_FROM_EMAIL,
            [f"raw+{i}@example.id"],
            connection=get_connection(timeout=10),
        ).send()
    return time.perf_counter() - started


def once_each(receiver: Receiver, reports: list[Report]) -> dict[str, int]:
    wanted = [f"warga+{r.pk}@example.id" for r in reports]
    counts = [receiver.received[w] for w in wanted]
    return {
        "reporters": len(wanted),
        "received_once": sum(c == 1 for c in counts),
        "received_twice_or_more": sum(c > 1 for c in counts),
        "missing": sum(c == 0 for c in counts),
    }


def remove() -> None:
    Report.objects.filter(tracking_code__startswith=PREFIX).delete()


def run() -> dict[str, Any]:
    remove()
    receiver = Receiver()
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": receiver.port,
    }
    figures: dict[str, Any] = {"changes": N, "machine_at_start": common.machine()}
    try:
        with override_settings(**mail):
            plain = make_reports("a", N, with_contact=False)
            # Without notify's receiver: the change as it cost before notify existed.
            post_save.disconnect(sender=ReportEvent, dispatch_uid=receivers.EVENT_RECEIVER)
            try:
                figures["raw_change_s"] = round(change_all(plain), 3)
            finally:
                post_save.connect(
                    receivers.event_saved, sender=ReportEvent, dispatch_uid=receivers.EVENT_RECEIVER
                )
            figures["raw_send_s"] = round(raw_send(receiver, N), 3)
            reports = make_reports("b", N, with_contact=True)
            figures["queue_s"] = round(change_all(reports), 3)
            figures["queue_overhead_ms_per_change"] = round(
                (figures["queue_s"] - figures["raw_change_s"]) / N * 1000, 3
            )
            started = time.perf_counter()
            while actions.sweep(limit=N)["tried"]:
                pass
            figures["send_in_process_s"] = round(time.perf_counter() - started, 3)
            figures["in_process"] = once_each(receiver, reports)
            # The in-process phase queued tasks the sweep made moot: the worker starts clean.
            redis.Redis.from_url(settings.REDIS_URL).flushdb()
            figures["via_celery"] = via_celery(receiver, mail)
    finally:
        receiver.controller.stop()
        remove()
    common.write_result(
        "notify_fanout",
        figures,
        targets={"received_twice_or_more": 0, "missing": 0},
    )
    return figures


def via_celery(receiver: Receiver, mail: dict[str, Any]) -> dict[str, Any]:
    """1,000 changes with a 2-process worker running: first change to last delivery sent."""
    reports = make_reports("c", N, with_contact=True)
    env = {**os.environ, **{k: str(v) for k, v in mail.items()}}
    worker = start_worker(env, "bench-notify", processes=2)
    try:
        started = time.perf_counter()
        queue_s = change_all(reports)
        sent = Delivery.objects.filter(message__report__in=reports, status=Delivery.Status.SENT)
        deadline = time.monotonic() + 120
        while sent.count() < N and time.monotonic() < deadline:
            time.sleep(0.1)
        total_s = time.perf_counter() - started
    finally:
        stop(worker)
    return {
        "queue_s": round(queue_s, 3),
        "first_change_to_last_sent_s": round(total_s, 3),
        "sent_per_s": round(N / total_s, 1),
        **once_each(receiver, reports),
    }
