"""The planner dashboard (/planner/), its JSON figures and exports, and /transparansi/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from geo_klik.accounts import roles
from geo_klik.analytics import builders, exports, filters, queries
from geo_klik.maps import assets

PLANNER_ROLES = (roles.PLANNER, roles.ADMIN)
View = Callable[..., HttpResponseBase]


def planner_only(view: View) -> View:
    """Planners (and admins) only: others log in first or are refused with a 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.has_any(request.user, PLANNER_ROLES):
            return render(request, "analytics/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, template: str, *, public: bool) -> HttpResponse:
    where = filters.from_query(request.GET)
    board = queries.dashboard(where)
    fmap = builders.planner_map(
        board.kelurahan,
        board.counts,
        heat=board.heat,
        weekly=board.weekly,
        hotspots=board.hotspots,
    )
    context = {
        "board": board,
        "map": assets.embed(fmap),
        "choices": queries.choice_lists(),
        "query": where.as_query(),
        "querystring": urlencode(where.as_query(), doseq=True),
        "charts": _charts(board),
        "public": public,
        "buckets": [label for _, label in queries.RESOLVE_BUCKETS_H],
        "duration_error_pct": f"{100 * queries.DURATION_ERROR:.1f}",
    }
    return render(request, template, context)


def _charts(board: queries.Dashboard, *, agencies: int = 6) -> dict[str, Any]:
    """Chart.js data: weekly reports per SKPD (the busiest few) and time-to-resolve buckets."""
    top = [p.agency for p in board.performance[:agencies]]
    names = {p.agency: p.agency_name for p in board.performance}
    weeks = sorted({t.week.isoformat() for t in board.trend})
    series: dict[str, dict[str, int]] = {code: {} for code in top}
    for point in board.trend:
        if point.agency in series:
            series[point.agency][point.week.isoformat()] = point.reports
    return {
        "weeks": weeks,
        "trend": [
            {"label": names[code], "data": [series[code].get(w, 0) for w in weeks]} for code in top
        ],
        "buckets": [label for _, label in queries.RESOLVE_BUCKETS_H],
        "distribution": [
            {"label": names[code], "data": board.distribution.get(code, [])} for code in top
        ],
    }


@require_safe
@planner_only
def planner(request: HttpRequest) -> HttpResponse:
    return _page(request, "analytics/planner.html", public=False)


@require_safe
def transparency(request: HttpRequest) -> HttpResponse:
    """The public page: the same aggregated figures, no single report, no personal data."""
    return _page(request, "analytics/transparansi.html", public=True)


def _json(payload: Any) -> JsonResponse:
    return JsonResponse(
        payload, encoder=DjangoJSONEncoder, safe=False, json_dumps_params={"separators": (",", ":")}
    )


@require_safe
@planner_only
def heatmap_json(request: HttpRequest) -> JsonResponse:
    where = filters.from_query(request.GET)
    return _json({"cell_m": 100, "bins": queries.heat_bins(where)})


@require_safe
@planner_only
def weekly_heatmap_json(request: HttpRequest) -> JsonResponse:
    where = filters.from_query(request.GET)
    return _json([asdict(w) for w in queries.weekly_heat_bins(where)])


@require_safe
@planner_only
def choropleth_json(request: HttpRequest) -> JsonResponse:
    where = filters.from_query(request.GET)
    return _json([asdict(c) for c in queries.kelurahan_counts(where)])


@require_safe
@planner_only
def hotspots_json(request: HttpRequest) -> JsonResponse:
    where = filters.from_query(request.GET)
    return _json([asdict(h) for h in queries.hotspots(where)])


@require_safe
@planner_only
def skpd_json(request: HttpRequest) -> JsonResponse:
    where = filters.from_query(request.GET)
    return _json([asdict(p) for p in queries.skpd_performance(where)])


def _filename(where: filters.ReportFilter, extension: str) -> str:
    return f"klik-{where.start.isoformat()}-{where.end.isoformat()}.{extension}"


@require_safe
@planner_only
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    where = filters.from_query(request.GET)
    response = StreamingHttpResponse(
        exports.csv_lines(where), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(where, "csv")}"'
    return response


@require_safe
@planner_only
def export_geojson(request: HttpRequest) -> StreamingHttpResponse:
    where = filters.from_query(request.GET)
    response = StreamingHttpResponse(
        exports.geojson_parts(where), content_type="application/geo+json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(where, "geojson")}"'
    return response
