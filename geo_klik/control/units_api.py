"""The console's unit layer: units with their officer and job, tracks, response figures.

``GET /api/staff/units/board/``: every unit the user sees, where it is, whether its position
is stale (older than 5 minutes), its officer, its open job and time on scene. Read on every
pushed "positions" or "units" change. ``GET /api/staff/units/tracks/``: the last hour of
positions, read once when the console opens (then grown from the board's positions).
``GET /api/staff/units/figures/?hari=N``: dispatch-to-arrival and arrival-to-resolution
(median, p90) per SKPD over the last N days, for supervisors.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from geo_klik.accounts import roles
from geo_klik.agencies.models import Agency
from geo_klik.control.api import StaffView
from geo_klik.dispatch import queries, unit_queries
from geo_klik.lib import coalesce, errors

board_reads = coalesce.Rounds()
MAX_FIGURE_DAYS = 366


class UnitBoardView(StaffView):
    def get(self, request: Request) -> HttpResponse:
        user = request.user

        def body() -> bytes:
            now = timezone.now()
            rows = [unit_queries.board_row(u, now=now) for u in unit_queries.board_units(user)]
            stale_s = int(unit_queries.STALE_AFTER.total_seconds())
            return bytes(JSONRenderer().render({"results": rows, "stale_after_s": stale_s}))

        # Every console of the same scope is told of the same move at once: one read serves them.
        key = queries.visibility_of(user)
        return HttpResponse(board_reads.run(key, body), content_type="application/json")


class UnitTracksView(StaffView):
    def get(self, request: Request) -> Response:
        ids = list(unit_queries.board_units(request.user).values_list("pk", flat=True))
        found = unit_queries.tracks(ids)
        return Response({"results": [{"unit": k, "points": v} for k, v in found.items()]})


def _days(raw: str | None) -> int:
    if raw in (None, ""):
        return 30
    try:
        days = int(str(raw))
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_FIGURE_DAYS:
        raise errors.invalid(
            "hari",
            "invalid",
            f"hari harus bilangan 1 sampai {MAX_FIGURE_DAYS}.",
            f"hari must be a whole number from 1 to {MAX_FIGURE_DAYS}.",
        )
    return days


class UnitFiguresView(StaffView):
    """Supervisors (and each SKPD for its own units): response times of the period."""

    def get(self, request: Request) -> Response:
        days = _days(request.query_params.get("hari"))
        end = timezone.now()
        agency_ids = None
        if not roles.is_city_wide(request.user):
            agency_ids = [roles.agency_id_of(request.user) or 0]
        found = unit_queries.response_times(
            start=end - timedelta(days=days), end=end, agency_ids=agency_ids
        )
        names = dict(Agency.objects.filter(pk__in=found).values_list("pk", "code"))
        rows = [
            {
                "agency": names.get(t.agency_id),
                "arrivals": t.arrivals,
                "dispatch_to_arrival_p50_s": t.arrival_p50_s,
                "dispatch_to_arrival_p90_s": t.arrival_p90_s,
                "resolutions": t.resolutions,
                "arrival_to_resolution_p50_s": t.resolution_p50_s,
                "arrival_to_resolution_p90_s": t.resolution_p90_s,
            }
            for t in sorted(found.values(), key=lambda t: names.get(t.agency_id) or "")
        ]
        return Response({"days": days, "results": rows})
