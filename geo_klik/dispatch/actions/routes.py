"""Writes of routing: route a report (or every report waiting), queue it, sweep lost ones."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import celery
import redis
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from geo_klik.agencies.models import Agency
from geo_klik.dispatch import queries, routing
from geo_klik.dispatch.actions import notifications
from geo_klik.dispatch.models import Assignment, RoutingDecision
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent

logger = logging.getLogger(__name__)


def route_report(report_id: int, *, tolerance_m: float | None = None) -> RoutingDecision | None:
    """Assign a report to agencies and record why; idempotent (a routed report is left as is)."""
    tolerance = settings.ROUTING_TOLERANCE_M if tolerance_m is None else tolerance_m
    with transaction.atomic():
        started = time.perf_counter()
        # Lock the report row only (of=self): locking its category row too would serialise
        # every routing of the same category.
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("category")
            .filter(pk=report_id)
            .order_by()
            .first()
        )
        if report is None:
            logger.warning("route_report: report %s does not exist", report_id)
            return None
        if report.routed_at is not None:
            return report.routing_decisions.filter(is_current=True).first()
        decision_rule, choice, considered = decide(report, tolerance_m=tolerance)
        decision = RoutingDecision.objects.create(
            report=report,
            rule=decision_rule,
            candidates=[c.as_json() for c in considered],
            tolerance_m=tolerance,
            # The time to decide: locking the report, the lookups and the rules.
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        record_assignments(report, decision, choice)
        triage = decision_rule == RoutingDecision.Rule.TRIAGE
        report.routed_at = timezone.now()
        # The timeline shows the routing step like any other status change.
        report_actions.change_status_of_locked(
            report,
            Report.Status.TRIAGE if triage else Report.Status.ROUTED,
            actor=ReportEvent.Actor.SYSTEM,
            agency_id=choice.primary.agency_id if choice.primary is not None else None,
            also_save=("routed_at",),
        )
    return decision


def decide(
    report: Report, *, tolerance_m: float
) -> tuple[str, routing.Choice, list[queries.Candidate]]:
    """Apply the rules in order: covers, nearest within tolerance, triage."""
    category = report.category.code
    covering = queries.covering_candidates(category, report.location)
    return decide_from(covering, category, report.location, tolerance_m=tolerance_m)


def decide_from(
    covering: list[queries.Candidate], category: str, location: Point, *, tolerance_m: float
) -> tuple[str, routing.Choice, list[queries.Candidate]]:
    """``decide``, given the covering candidates already looked up."""
    choice = routing.choose_covering(covering)
    if choice.primary is not None:
        return RoutingDecision.Rule.COVERS, choice, covering
    nearby = queries.nearby_candidates(category, location, tolerance_m=tolerance_m)
    choice = routing.choose_nearest(nearby)
    considered = covering + [
        c for c in nearby if c.version_id not in {x.version_id for x in covering}
    ]
    if choice.primary is not None:
        return RoutingDecision.Rule.NEAREST, choice, considered
    return RoutingDecision.Rule.TRIAGE, routing.Choice(primary=None), considered


def record_assignments(report: Report, decision: RoutingDecision, choice: routing.Choice) -> None:
    triage = queries.triage_agency() if choice.primary is None else None
    Assignment.objects.bulk_create(assignments_for(report.pk, decision, choice, triage=triage))


def assignments_for(
    report_id: int, decision: RoutingDecision, choice: routing.Choice, *, triage: Agency | None
) -> list[Assignment]:
    """The assignment rows of a decision: its choice, or the triage agency when none."""
    if choice.primary is None:
        if triage is None:
            logger.error("no triage agency configured; report %s is unassigned", report_id)
            return []
        return [
            Assignment(
                report_id=report_id,
                agency=triage,
                role=Assignment.Role.PRIMARY,
                decision=decision,
            )
        ]
    rows = [
        Assignment(
            report_id=report_id,
            agency_id=choice.primary.agency_id,
            jurisdiction_version_id=choice.primary.version_id,
            role=Assignment.Role.PRIMARY,
            decision=decision,
        )
    ]
    rows.extend(
        Assignment(
            report_id=report_id,
            agency_id=c.agency_id,
            jurisdiction_version_id=c.version_id,
            role=Assignment.Role.SUPPORTING,
            decision=decision,
        )
        for c in choice.supporting
    )
    return rows


def route_report_and_waiting(report_id: int) -> None:
    """Route this report and, with it, every report waiting; tell their agencies.

    Under a surge the first task routes the whole backlog in one transaction and the tasks of
    the reports it took find them routed (one indexed read each). When the report is not in the
    batch (another worker holds it, or the backlog is longer than a batch) it is routed alone,
    waiting for that worker's lock, so the task never ends with its report unrouted.
    """
    if queries.is_routed(report_id):
        return
    try:
        routed = route_waiting_reports()
    except (OperationalError, InterfaceError):
        raise  # PostgreSQL unreachable: the task is retried
    except Exception:
        # A report the batch cannot take must not stop the others: each task then routes its
        # own report alone, and only that report's task keeps failing.
        logger.exception("batch routing failed; routing report %s alone", report_id)
        routed = []
    if any(decision.report_id == report_id for decision in routed):
        return
    decision = route_report(report_id)
    if decision is not None:
        notifications.notify_routed(decision)


# Reports routed together by one routing task at most (one transaction holds their row locks).
ROUTING_BATCH_MAX = 200


def route_waiting_reports(
    *, limit: int = ROUTING_BATCH_MAX, tolerance_m: float | None = None
) -> list[RoutingDecision]:
    """Route every waiting (unrouted) report, oldest first, up to `limit`, in one transaction.

    Each report is claimed with ``FOR UPDATE SKIP LOCKED`` and only while unrouted, so two
    workers (or a worker and ``route_report``) never route one report twice; the covering lookup
    of the whole batch is one statement. The agencies' notification rows are written in the
    same transaction, so a worker killed after the commit loses none of them.
    """
    tolerance = settings.ROUTING_TOLERANCE_M if tolerance_m is None else tolerance_m
    with transaction.atomic():
        started = time.perf_counter()
        claimed = list(
            Report.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(routed_at__isnull=True)
            .order_by("created_at", "id")
            .values_list("pk", "status", "category__code", "location")[:limit]
        )
        if not claimed:
            return []
        covering = queries.covering_candidates_of_reports([row[0] for row in claimed])
        decided = [
            (pk, status, *decide_from(covering.get(pk, []), code, location, tolerance_m=tolerance))
            for pk, status, code, location in claimed
        ]
        # The batch's time to decide (locks, lookups, rules), shared equally by its reports.
        duration_ms = round((time.perf_counter() - started) * 1000 / len(claimed), 3)
        decisions = RoutingDecision.objects.bulk_create(
            RoutingDecision(
                report_id=pk,
                rule=rule,
                candidates=[c.as_json() for c in considered],
                tolerance_m=tolerance,
                duration_ms=duration_ms,
            )
            for pk, _, rule, _, considered in decided
        )
        store_routing(decided, decisions)
        notifications.notify_routed_many(decisions)
    return decisions


def store_routing(
    decided: list[tuple[int, str, str, routing.Choice, list[queries.Candidate]]],
    decisions: list[RoutingDecision],
) -> None:
    """Assignments, timeline entries and the new status of a batch of routed reports."""
    triage = queries.triage_agency()
    rows: list[Assignment] = []
    events: list[ReportEvent] = []
    new_status: dict[str, list[int]] = {}
    for (pk, status, rule, choice, _), decision in zip(decided, decisions, strict=True):
        rows += assignments_for(pk, decision, choice, triage=triage)
        to = Report.Status.TRIAGE if rule == RoutingDecision.Rule.TRIAGE else Report.Status.ROUTED
        primary = choice.primary.agency_id if choice.primary is not None else None
        # What reports.actions.change_status_of_locked writes for one report, for the batch.
        events.append(
            ReportEvent(
                report_id=pk,
                kind=ReportEvent.Kind.STATUS,
                actor=ReportEvent.Actor.SYSTEM,
                status_from=status,
                status_to=to,
                agency_id=primary,
            )
        )
        new_status.setdefault(to, []).append(pk)
    Assignment.objects.bulk_create(rows)
    ReportEvent.objects.bulk_create(events)
    now = timezone.now()
    for status, pks in new_status.items():
        Report.objects.filter(pk__in=pks).update(
            status=status, routed_at=now, updated_at=now, resolved_at=None
        )


# routing_enqueued_at of a report whose routing task the broker refused (Redis down): the sweep
# takes it as soon as it runs again, not ROUTING_SWEEP_AFTER_S after it was accepted.
NOT_QUEUED = datetime(1970, 1, 1, tzinfo=UTC)

# Tasks are sent by name: tasks.py imports this module to call it, never the other way round.
ROUTE_REPORT_TASK = "geo_klik.dispatch.tasks.route_report"


def enqueue_routing(report_ids: list[int]) -> int:
    """Queue routing tasks; if the broker is down, leave the rest to the sweep. Returns #sent."""
    sent = 0
    for report_id in report_ids:
        try:
            celery.signature(ROUTE_REPORT_TASK, args=(report_id,)).apply_async(retry=False)
        except Exception:  # any broker failure: the report is safe in PostgreSQL
            logger.warning(
                "routing of report %s not queued (broker unreachable); the sweep will retry",
                report_id,
            )
            mark_not_queued(report_ids[sent:])
            return sent
        sent += 1
    return sent


def mark_not_queued(report_ids: list[int]) -> None:
    """Tell the sweep these reports' routing never reached the broker."""
    try:
        Report.objects.filter(pk__in=report_ids, routed_at__isnull=True).update(
            routing_enqueued_at=NOT_QUEUED
        )
    except DatabaseError:  # PostgreSQL down too: the sweep still finds them after a while
        logger.warning("reports %s not marked as not queued", report_ids)


# Set in Redis by the sweep; its absence means Redis started empty (it keeps nothing across a
# restart) and lost the routing tasks queued in it.
BROKER_MARKER_KEY = "geo_klik:dispatch:broker-marker"


def broker_lost_its_queue() -> bool:
    """True the first time it is asked after Redis started empty."""
    try:
        client = redis.Redis.from_url(settings.REDIS_URL)
        return bool(client.set(BROKER_MARKER_KEY, "1", nx=True))
    except redis.RedisError:
        return False


def requeue_unrouted_reports(*, older_than_s: float | None = None, limit: int = 1000) -> int:
    """Claim reports unrouted for too long (one sweeper wins each) and queue them again."""
    if older_than_s is not None:
        age = older_than_s
    elif broker_lost_its_queue():
        # Routing tasks queued in Redis before it restarted are gone: queue every report again.
        logger.warning("sweep: Redis started empty; queueing every unrouted report again")
        age = 0
    else:
        age = settings.ROUTING_SWEEP_AFTER_S
    cutoff = timezone.now() - timedelta(seconds=age)
    with transaction.atomic():
        claimed = list(
            Report.objects.select_for_update(skip_locked=True)
            .filter(routed_at__isnull=True)
            .filter(Q(created_at__lt=cutoff) | Q(routing_enqueued_at=NOT_QUEUED))
            .exclude(routing_enqueued_at__gte=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        Report.objects.filter(pk__in=claimed).update(routing_enqueued_at=timezone.now())
    if claimed:
        logger.info("sweep: queueing %d unrouted report(s) again", len(claimed))
    return enqueue_routing(claimed)
