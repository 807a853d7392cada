"""The health check that load balancers, docker-compose and `make run` poll."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from geo_klik.ops import queries


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with versions when PostGIS and Redis both answer; 503 naming what is down."""
    body: dict[str, object] = {"status": "ok"}
    failing: list[str] = []
    try:
        body["postgis"] = {"ok": True, "version": queries.postgis_version()}
    except queries.ServiceDown as exc:
        body["postgis"] = {"ok": False, "error": str(exc)}
        failing.append("postgis")
    try:
        queries.redis_ping()
        body["redis"] = {"ok": True}
    except queries.ServiceDown as exc:
        body["redis"] = {"ok": False, "error": str(exc)}
        failing.append("redis")
    if failing:
        body["status"] = "error"
        body["failing"] = failing
        names = ", ".join(failing)
        body["message"] = f"Layanan tidak tersedia: {names}. Service unavailable: {names}."
    return JsonResponse(body, status=503 if failing else 200)
