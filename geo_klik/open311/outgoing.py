"""Outgoing Open311: reports routed to an SKPD with its own GeoReport v2 server are sent there.

Exactly one request per report and server, as far as a standard without idempotency keys
allows:

1. ``claim_for`` (in the routing transaction, through ``dispatch.signals``) makes the one
   ``OutgoingRequest`` row (unique per report and server) and queues it after commit; the
   SKPD then gets no e-mail or webhook for it.
2. ``send`` claims one attempt with a conditional update (pending -> sending), so two
   workers never POST the same row, and records the remote's id (or token).
3. A failure before the server could act (connection refused, an error answer) is retried
   with back-off; one after (a timeout, a lost answer) or a worker that died mid-POST (the
   sweep finds the row ``sending`` too long) marks the row ``maybe_sent``, and the next
   attempt first looks for the report's tracking code in the remote's recent requests
   (``recover``) and adopts the one it finds instead of POSTing again.

The edge left: a remote that accepted the POST, but whose GET requests does not show the
description (a sensitive category on a geo_klik server, or a server that hides it), is sent
the report again after such a failure. That needs the crash or lost answer between the
remote's commit and ours, and shows in the row's ``last_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import celery
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from geo_klik.dispatch.models import Assignment
from geo_klik.lib import geo
from geo_klik.open311 import remote
from geo_klik.open311.models import ExternalServer, IncomingUpdate, OutgoingRequest
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent

logger = logging.getLogger(__name__)

# Sent by name: tasks.py imports this module to call it, never the other way round.
SEND_TASK = "geo_klik.open311.tasks.send_outgoing"
MAX_DESCRIPTION = 3800  # leaves room for the marker within the usual 4,000 characters
# How far before the row was made a recovery looks for the remote's copy (clock skew).
RECOVER_SLACK = timedelta(hours=1)
# Pulled updates overlap by this much, so an update stamped late by a skewed clock is kept.
UPDATES_OVERLAP = timedelta(minutes=5)
WINDOW = timedelta(days=90)  # GeoReport's longest date range


class SendFailed(Exception):
    """One attempt failed and will be retried (the task's back-off)."""


def backoff_s(attempt: int) -> int:
    """Seconds before retry number `attempt` (1-based): 15, 30, 60, ... at most 30 minutes."""
    return int(min(15 * 2 ** (attempt - 1), 1800))


def marker(report: Report) -> str:
    """What identifies the report in the remote's copy: its KLIK tracking code."""
    return f"[KLIK {report.tracking_code}]"


def claim_for(assignments: Sequence[Any]) -> set[int]:
    """Make the outgoing rows of primary assignments to agencies with a server; their agencies.

    Runs inside the transaction that made the assignments; queues the rows after its commit.
    """
    agency_ids = {assignment.agency_id for assignment in assignments}
    servers = {
        server.agency_id: server
        for server in ExternalServer.objects.filter(agency_id__in=agency_ids, active=True)
    }
    if not servers:
        return set()
    rows = [
        OutgoingRequest(report_id=assignment.report_id, server=servers[assignment.agency_id])
        for assignment in assignments
        if assignment.agency_id in servers
    ]
    OutgoingRequest.objects.bulk_create(rows, ignore_conflicts=True)  # never a second row
    pending = list(
        OutgoingRequest.objects.filter(
            report_id__in={row.report_id for row in rows},
            server__in=servers.values(),
            state=OutgoingRequest.State.PENDING,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: [enqueue(pk) for pk in pending])
    return set(servers)


def enqueue(outgoing_id: int) -> bool:
    """Queue the sending; a broker outage leaves the row pending for the sweep."""
    try:
        celery.signature(SEND_TASK, args=(outgoing_id,)).apply_async(retry=False)
    except Exception:  # any broker failure: the row is safe in PostgreSQL
        logger.warning("outgoing Open311 %s not queued (broker unreachable)", outgoing_id)
        return False
    return True


def fields_for(row: OutgoingRequest) -> list[tuple[str, str]]:
    """The POST requests form for the report (without the key): no personal data."""
    report, server = row.report, row.server
    lat, lon = geo.lat_lon(report.location)
    description = report.description[:MAX_DESCRIPTION]
    text = f"{description}\n\n{marker(report)}" if description else marker(report)
    fields = [
        ("service_code", server.service_code_for(report.category.code)),
        ("lat", f"{lat:.6f}"),
        ("long", f"{lon:.6f}"),
        ("address_string", report.address[:300]),
        ("description", text),
        ("attribute[klik_tracking_code]", report.tracking_code),
    ]
    photo = report.photos.order_by("id").first()
    if photo is not None and not report.category.sensitive:
        fields.append(("media_url", f"{settings.NOTIFY_BASE_URL}{photo.image.url}"))
    return fields


def claim_attempt(row: OutgoingRequest) -> bool:
    """Take the next attempt of a pending row; False when another worker took it."""
    return bool(
        OutgoingRequest.objects.filter(
            pk=row.pk, state=OutgoingRequest.State.PENDING, attempts=row.attempts
        ).update(
            state=OutgoingRequest.State.SENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=timezone.now(),
        )
    )


def send(outgoing_id: int) -> OutgoingRequest | None:
    """One attempt at sending, recorded on the row; SendFailed when it should be retried."""
    row = (
        OutgoingRequest.objects.select_related("server", "report__category")
        .filter(pk=outgoing_id)
        .first()
    )
    if row is None or row.state != OutgoingRequest.State.PENDING or not claim_attempt(row):
        return row
    row.refresh_from_db(fields=["state", "attempts", "last_attempt_at", "maybe_sent"])
    try:
        found = recover(row) if row.maybe_sent else ""
        created = (
            remote.Created(found, "") if found else remote.post_request(row.server, fields_for(row))
        )
    except remote.RemoteError as exc:
        return failed(row, exc)
    row.external_id, row.token = created.service_request_id, created.token
    row.state, row.sent_at, row.last_error = OutgoingRequest.State.SENT, timezone.now(), ""
    row.save(update_fields=["external_id", "token", "state", "sent_at", "last_error"])
    return row


def failed(row: OutgoingRequest, exc: remote.RemoteError) -> OutgoingRequest:
    """Record a failed attempt: pending again (SendFailed for the retry) or, at last, failed."""
    final = exc.permanent or row.attempts >= settings.OPEN311_OUTGOING_MAX_ATTEMPTS
    row.last_error = f"attempt {row.attempts}: {exc}"[:500]
    row.maybe_sent = row.maybe_sent or exc.maybe_sent
    row.state = OutgoingRequest.State.FAILED if final else OutgoingRequest.State.PENDING
    row.save(update_fields=["last_error", "maybe_sent", "state"])
    logger.warning("outgoing Open311 %s: %s", row.pk, row.last_error)
    if not final:
        raise SendFailed(row.last_error)
    return row


def recover(row: OutgoingRequest) -> str:
    """The remote's id of a request it may already hold for this report ("" if none found)."""
    start = max(row.created_at - RECOVER_SLACK, timezone.now() - WINDOW)
    wanted = marker(row.report)
    code = row.server.service_code_for(row.report.category.code)
    for record in remote.requests_since(row.server, start, service_code=code):
        if wanted in record.get("description", "") and record.get("service_request_id"):
            logger.info("outgoing Open311 %s: found on the server, not sent again", row.pk)
            return record["service_request_id"]
    return ""


def stale(*, now: datetime | None = None, margin_s: int = 120, limit: int = 500) -> list[int]:
    """Rows nobody is working on: pending past their back-off (or never queued), or left
    ``sending`` by a worker that died (those become pending and ``maybe_sent`` first)."""
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=settings.OPEN311_OUTGOING_TIMEOUT_S * 3 + margin_s)
    OutgoingRequest.objects.filter(
        state=OutgoingRequest.State.SENDING, last_attempt_at__lt=stuck_before
    ).update(state=OutgoingRequest.State.PENDING, maybe_sent=True)
    rows = OutgoingRequest.objects.filter(
        state=OutgoingRequest.State.PENDING, created_at__lt=now - timedelta(seconds=60)
    ).order_by("created_at", "id")[:limit]
    return [row.pk for row in rows if silent(row, now=now, margin_s=margin_s)]


def silent(row: OutgoingRequest, *, now: datetime, margin_s: int) -> bool:
    if row.attempts == 0 or row.last_attempt_at is None:
        return True
    return now - row.last_attempt_at > timedelta(seconds=backoff_s(row.attempts) + margin_s)


def claim_missing(*, limit: int = 500) -> int:
    """Rows for primary assignments made without one; how many were made.

    A report routed alone (``dispatch.actions.routes.route_report``) is announced after its
    routing committed: a worker that died in between left the SKPD's report unsent. Only
    assignments made since the server was set up are taken (older ones went by e-mail).
    """
    made = 0
    for server in ExternalServer.objects.filter(active=True):
        missing = list(
            Assignment.objects.filter(
                agency_id=server.agency_id,
                active=True,
                role=Assignment.Role.PRIMARY,
                created_at__gte=server.created_at,
            )
            .exclude(report__open311_outgoing__server=server)
            .only("id", "report_id", "agency_id")[:limit]
        )
        with transaction.atomic():
            claim_for(missing)
        made += len(missing)
    return made


def sweep(*, now: datetime | None = None) -> int:
    """Make missing rows, queue again every stale one; the number queued (beat, every minute)."""
    claim_missing()
    return sum(enqueue(pk) for pk in stale(now=now))


def resolve_tokens(server: ExternalServer) -> int:
    """Ask the server for the ids of requests it answered with a token; the number learnt."""
    learnt = 0
    waiting = OutgoingRequest.objects.filter(
        server=server, state=OutgoingRequest.State.SENT, external_id="", token__gt=""
    )
    for row in waiting[:200]:
        external_id = remote.request_id_for_token(server, row.token)
        if external_id:
            learnt += OutgoingRequest.objects.filter(pk=row.pk, external_id="").update(
                external_id=external_id[:100]
            )
    return learnt


def pull_updates(server: ExternalServer, *, now: datetime | None = None) -> int:
    """Bring the server's new updates of our requests into their public timelines; how many."""
    now = now or timezone.now()
    start = server.updates_pulled_until or (now - timedelta(days=1))
    start = max(start - UPDATES_OVERLAP, now - WINDOW)
    records = remote.updates_since(server, start)
    ids = {record.get("service_request_id", "") for record in records} - {""}
    ours = {
        row.external_id: row
        for row in OutgoingRequest.objects.filter(
            server=server, external_id__in=ids
        ).select_related("report")
    }
    added = sum(
        record_update(server, ours[record["service_request_id"]], record)
        for record in records
        if record.get("service_request_id") in ours and record.get("update_id")
    )
    ExternalServer.objects.filter(pk=server.pk).update(updates_pulled_until=now)
    return added


def record_update(server: ExternalServer, row: OutgoingRequest, record: remote.Record) -> bool:
    """One pulled update as a public note of the SKPD (once); a closed request resolves it."""
    note = record.get("description", "").replace("\x00", "")[:2000]
    closed = record.get("status", "").lower() in {"closed", "fixed"}
    try:
        with transaction.atomic():
            pulled = IncomingUpdate.objects.create(
                server=server, update_id=record["update_id"][:100], outgoing=row
            )
            report = row.report
            if closed and report.is_open:
                event: ReportEvent = report_actions.change_status(
                    report,
                    Report.Status.RESOLVED,
                    actor=ReportEvent.Actor.STAFF,
                    note=note,
                    agency_id=server.agency_id,
                )
            elif note:
                event = report_actions.add_agency_note(
                    report, agency_id=server.agency_id, note=note
                )
            else:
                return True  # nothing to show (an empty open update): remembered, not shown
            pulled.event = event
            pulled.save(update_fields=["event"])
    except IntegrityError:
        return False  # pulled before (the windows overlap)
    return True


def pull_all() -> dict[str, int]:
    """Every active server: learn ids for tokens and pull updates; a failing server is skipped."""
    totals = {"servers": 0, "ids": 0, "updates": 0, "failed": 0}
    for server in ExternalServer.objects.filter(Q(active=True) & Q(pull_updates=True)):
        totals["servers"] += 1
        try:
            totals["ids"] += resolve_tokens(server)
            totals["updates"] += pull_updates(server)
        except remote.RemoteError as exc:
            totals["failed"] += 1
            logger.warning("pulling updates from %s failed: %s", server.endpoint_url, exc)
    return totals
