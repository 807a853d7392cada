"""The field officers' API under /petugas/api/: duty, inbox, incidents, steps, positions, push.

Session (the /petugas/ page, with CSRF) or token authentication, SKPD staff only. An officer
reads the incidents a unit of their agency is (or lately was) dispatched to, and takes steps
only on those their own unit, on duty, is dispatched to now; anything else answers 404. Every
step carries an Idempotency-Key and is taken once however often the phone sends it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.accounts import login_guard, permissions, roles
from geo_klik.accounts.authentication import ExpiringTokenAuthentication
from geo_klik.dispatch.actions import field_steps, units, workflow
from geo_klik.field import actions, checks, queries
from geo_klik.field import serializers as shapes
from geo_klik.lib import errors
from geo_klik.lib.checks import CheckedSerializer
from geo_klik.notify import vapid

IDEMPOTENCY_HEADER = "Idempotency-Key"


class FieldView(APIView):
    authentication_classes = (SessionAuthentication, ExpiringTokenAuthentication)
    permission_classes = (permissions.HasRole,)
    allowed_roles = frozenset({roles.SKPD_STAFF})

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        raise permissions.refusal(request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not queries.is_officer(request.user):
            raise permissions.refusal(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, workflow.WorkflowError):
            exc = errors.Invalid(
                [errors.Problem(exc.field, exc.code, exc.message_id, exc.message_en)],
                status_code=exc.status_code,
            )
        return super().handle_exception(exc)

    def address(self) -> str:
        return login_guard.client_address(self.request._request)


def checked(serializer_class: type[CheckedSerializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def not_found() -> errors.Invalid:
    return errors.Invalid(
        [errors.Problem(None, "not_found", "Laporan tidak ditemukan.", "Report not found.")],
        status_code=404,
    )


class MeView(FieldView):
    """GET: the officer, the shift (or null) and the agency's units to crew."""

    def get(self, request: Request) -> Response:
        shift = units.open_shift_of(request.user)
        return Response(
            {
                "officer": request.user.get_username(),
                "shift": shapes.shift(shift),
                "units": [shapes.unit(u) for u in units.units_to_crew(request.user)],
                "vapid_public_key": vapid.public_key(),
            }
        )


class DutyStartView(FieldView):
    """POST {unit}: go on duty with that unit."""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return checks.DutyInput

    def post(self, request: Request) -> Response:
        unit_id = checked(checks.DutyInput, request)["unit"]
        shift = units.start_shift(unit_id, user=request.user, address=self.address())
        shift.unit.refresh_from_db()
        return Response({"shift": shapes.shift(shift)})


class DutyEndView(FieldView):
    """POST: go off duty (refused while the unit has a job)."""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return checks.NoInput

    def post(self, request: Request) -> Response:
        units.end_shift(user=request.user, address=self.address())
        return Response({"shift": None})


class InboxView(FieldView):
    """GET: the open jobs of the officer's unit, highest priority first, then newest."""

    def get(self, request: Request) -> Response:
        shift = units.open_shift_of(request.user)
        if shift is None:
            return Response({"shift": None, "results": []})
        jobs = queries.inbox_for(shift.unit_id)
        return Response(
            {
                "shift": shapes.shift(shift),
                "results": [shapes.incident(job.report, job) for job in jobs],
            }
        )


class IncidentView(FieldView):
    """GET: one incident dispatched to a unit of the officer's agency."""

    def get(self, request: Request, report_id: int) -> Response:
        report = queries.incident(request.user, report_id)
        if report is None:
            raise not_found()
        shift = units.open_shift_of(request.user)
        job = queries.job_of(shift.unit_id if shift else None, report_id)
        return Response(shapes.incident(report, job))


@dataclass(frozen=True)
class StepSpec:
    input: type[CheckedSerializer]
    take: Callable[..., workflow.Step]


STEPS: dict[str, StepSpec] = {
    "en-route": StepSpec(checks.NoInput, field_steps.en_route),
    "on-scene": StepSpec(checks.NoInput, field_steps.on_scene),
    "need-support": StepSpec(checks.ReasonInput, field_steps.need_support),
    "resolve": StepSpec(checks.ResolveInput, workflow.resolve),
    "unable": StepSpec(checks.ReasonInput, field_steps.unable_to_resolve),
}


def idempotency_key(request: Request) -> uuid.UUID:
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if not raw or not raw.strip():
        raise checks.invalid_key()
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise errors.invalid(
            IDEMPOTENCY_HEADER,
            "invalid",
            "Idempotency-Key harus berupa UUID.",
            "Idempotency-Key must be a UUID.",
        ) from None


class StepView(FieldView):
    """POST /petugas/api/incidents/<id>/<step>/ with an Idempotency-Key: one field step."""

    step = ""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return STEPS[self.step].input

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, report_id: int) -> Response:
        key = idempotency_key(request)
        spec = STEPS[self.step]
        values = checked(spec.input, request)
        photo = values.get("photo")
        digest = actions.body_digest(
            self.step, report_id, values, photo.sha256 if photo is not None else ""
        )
        user, address = request.user, self.address()

        def answer(step: workflow.Step) -> dict[str, Any]:
            return {"id": step.report.pk, "status": step.report.status, "step": self.step}

        result, fresh = actions.take_once(
            user=user,
            key=key,
            kind=self.step,
            report_id=report_id,
            digest=digest,
            step=lambda: spec.take(report_id, user=user, address=address, **values),
            answer=answer,
        )
        return Response({**result, "repeated": not fresh}, status=201 if fresh else 200)


class PositionView(FieldView):
    """POST {lat, lon, accuracy_m?, at?}: where the officer's unit is (on duty only)."""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return checks.PositionInput

    def post(self, request: Request) -> Response:
        given = checked(checks.PositionInput, request)
        kept = units.record_position(
            user=request.user,
            lat=given["lat"],
            lon=given["lon"],
            accuracy_m=given.get("accuracy_m"),
            recorded_at=given.get("at"),
        )
        return Response({"kept": kept})


class PushView(FieldView):
    """POST {subscription}: tell this browser of new dispatches; DELETE {endpoint}: stop."""

    def get_serializer_class(self) -> type[CheckedSerializer]:
        return checks.PushInput

    def post(self, request: Request) -> Response:
        subscription = checked(checks.PushInput, request)["subscription"]
        actions.subscribe_push(request.user, subscription)
        return Response({"subscribed": True}, status=201)

    def delete(self, request: Request) -> Response:
        endpoint = request.data.get("endpoint") if isinstance(request.data, dict) else None
        if not isinstance(endpoint, str) or not endpoint or len(endpoint) > 2048:
            raise errors.invalid(
                "endpoint", "invalid", "endpoint tidak valid.", "endpoint is not valid."
            )
        return Response({"unsubscribed": actions.unsubscribe_push(request.user, endpoint)})
