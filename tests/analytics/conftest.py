"""Analytics fixtures: a hand-checkable history on the tiny city, with the personas.

``history.add(where, category, created=..., ack_h=..., resolve_h=..., reopened=..., stars=...)``
makes a routed report whose timeline says it was acknowledged and resolved that many hours
after acceptance; ``history.refresh()`` rebuilds the fact view the figures read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from geo_klik.analytics import actions
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Report, ReportEvent, ReportRating
from tests.dispatch.conftest import (  # noqa: F401 (fixtures the personas need)
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
from tests.personas import BARAT, TIMUR, Personas, personas, routed_report

NOW = timezone.now()


@dataclass
class History:
    routed_report: Any

    def add(
        self,
        where: tuple[float, float],
        category: str,
        *,
        created: datetime | None = None,
        ack_h: float | None = None,
        resolve_h: float | None = None,
        reopened: bool = False,
        stars: int | None = None,
        **fields: Any,
    ) -> Report:
        fields.setdefault("kelurahan", report_actions.kelurahan_at(*where))
        description = fields.pop("description", "test")
        report: Report = self.routed_report(where, category, **fields)
        created = created or NOW - timedelta(days=2)
        Report.objects.filter(pk=report.pk).update(created_at=created, description=description)
        steps: list[tuple[str, str, float]] = []
        if ack_h is not None:
            steps.append(("routed", "acknowledged", ack_h))
        if resolve_h is not None:
            if reopened:
                steps += [
                    ("acknowledged", "resolved", resolve_h / 2),
                    ("resolved", "routed", resolve_h / 2 + 0.1),
                ]
            steps.append(("acknowledged", "resolved", resolve_h))
        for status_from, status_to, hours in steps:
            event = ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.STATUS,
                actor=ReportEvent.Actor.STAFF,
                status_from=status_from,
                status_to=status_to,
            )
            ReportEvent.objects.filter(pk=event.pk).update(
                created_at=created + timedelta(hours=hours)
            )
        status = "resolved" if resolve_h is not None else "acknowledged" if ack_h else "routed"
        Report.objects.filter(pk=report.pk).update(status=status)
        if stars is not None:
            ReportRating.objects.create(report=report, stars=stars)
        report.refresh_from_db()
        return report

    def refresh(self) -> None:
        actions.refresh_facts()


@pytest.fixture
def history(personas: Personas, routed_report: Any) -> History:
    # The fact view is not a table: a transactional test's flush leaves its rows behind.
    actions.refresh_facts()
    return History(routed_report)


__all__ = ["BARAT", "NOW", "TIMUR", "History", "Personas", "history", "personas", "routed_report"]
