"""The business API under /api/businesses/: GeoJSON layers, details, proposals, moderation.

Reads are public and show published content only (plus, for a logged-in owner or moderator,
what they may see). Writes take a session (with CSRF) or a token. Every refusal answers the
bilingual error body of ``lib.errors``, naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.accounts.authentication import ExpiringTokenAuthentication
from geo_klik.business import actions, inputs, params, queries, serializers
from geo_klik.business.models import Business, Claim, Promotion, Revision
from geo_klik.lib import bbox, errors, layers
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate

ERRORS = OpenApiResponse(errors.ErrorsSerializer, description="Bilingual error body.")
BBOX_PARAMETER = OpenApiParameter(
    bbox.PARAM, OpenApiTypes.STR, description="min_lon,min_lat,max_lon,max_lat"
)


def not_found() -> errors.Invalid:
    return errors.Invalid(
        [errors.Problem(None, "not_found", "Usaha tidak ditemukan.", "Business not found.")],
        status_code=404,
    )


class BusinessView(APIView):
    """Base: session or token, refusals from ``actions`` in the bilingual shape."""

    authentication_classes: tuple[type[BaseAuthentication], ...] = (
        SessionAuthentication,
        ExpiringTokenAuthentication,
    )
    permission_classes = ()

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, actions.Refused):
            exc = errors.Invalid(exc.problems, status_code=exc.status_code)
        return super().handle_exception(exc)

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        raise actions.refuse(
            None, "not_authenticated", "Masuk terlebih dahulu.", "Log in first.", 401
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="businesses_list",
        parameters=[BBOX_PARAMETER, params.DirectoryQuerySerializer],
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS},
    )
)
class BusinessListView(layers.LayerView):
    """GET /api/businesses/: published listings as GeoJSON (the "businesses" map layer)."""

    serializer_class = serializers.BusinessFeatureSerializer
    bbox_filter_lookup = "within"  # a point on the box's edge is out, as it always was

    def now(self) -> dt.datetime:
        return queries.current_time()

    def query(self) -> dict[str, Any]:
        """The checked query (every problem at once), read once per request."""
        if not hasattr(self, "_query"):
            self._query = inputs.checked(params.DirectoryQuerySerializer, self.request.query_params)
        return self._query

    def get_queryset(self) -> QuerySet[Business]:
        query = self.query()
        return queries.filtered(
            queries.published_businesses(), text=query["q"], category=query["category"]
        )

    def first_rows(self, rows: QuerySet[Business], count: int) -> list[Business]:
        if not self.query()["open_now"]:
            return list(rows[:count])
        # Hours are JSON, so "open now" is decided here: stream until enough are open.
        at = self.moment
        chosen: list[Business] = []
        for business in rows.iterator(chunk_size=1000):
            if queries.open_now([business], at):
                chosen.append(business)
                if len(chosen) == count:
                    break
        return chosen


@extend_schema_view(
    get=extend_schema(
        operation_id="business_promotions_list",
        parameters=[BBOX_PARAMETER, params.PromotionQuerySerializer],
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS},
    )
)
class PromotionListView(layers.LayerView):
    """GET /api/businesses/promotions/: published events and promotions not yet ended."""

    serializer_class = serializers.PromotionFeatureSerializer
    # At their own place, else at their business's; a point on the box's edge is out.
    bbox_filter_field = "map_point"
    bbox_filter_lookup = "within"

    def now(self) -> dt.datetime:
        return queries.current_time()

    def get_queryset(self) -> QuerySet[Promotion]:
        query = inputs.checked(params.PromotionQuerySerializer, self.request.query_params)
        at = self.moment
        rows = queries.current_promotions(at) if query["current"] else queries.public_promotions(at)
        if query["kind"]:
            rows = rows.filter(kind=query["kind"])
        return queries.with_map_point(rows)


def visible_business(request: Request, slug: str) -> Business:
    business = queries.business_for(request.user, slug)
    if business is None:
        raise not_found()
    return business


def detail_body(request: Request, business: Business) -> dict[str, Any]:
    at = queries.current_time()
    owner = queries.is_owner(request.user, business)
    return serializers.business_detail(
        business,
        at=at,
        promotions=list(queries.promotions_of(business, request.user)),
        private=queries.sees_moderation(request.user, business),
        is_owner=owner,
    )


class BusinessDetailView(BusinessView):
    """GET /api/businesses/<slug>/: one listing, contact, hours, current promotions."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="businesses_detail", responses={200: OpenApiTypes.OBJECT, 404: ERRORS}
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(detail_body(request, visible_business(request, slug)))


def _data(request: Request) -> dict[str, Any]:
    if hasattr(request.data, "dict"):
        return dict(request.data.dict())
    if isinstance(request.data, dict):
        return dict(request.data)
    raise errors.invalid(
        "body", "malformed", "Isi permintaan harus objek JSON.", "The body must be a JSON object."
    )


def _status(obj: Claim | Revision | Promotion | Business) -> dict[str, Any]:
    return {"id": obj.pk, "status": obj.status}


class ClaimView(BusinessView):
    """POST /api/businesses/<slug>/claim/: ask to be recognised as the owner."""

    @extend_schema(
        operation_id="businesses_claim",
        request=inputs.ClaimSerializer,
        responses={
            201: serializers.StatusSerializer,
            400: ERRORS,
            401: ERRORS,
            409: ERRORS,
            429: ERRORS,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        actions.require_login(request.user)
        data = _data(request)
        business = visible_business(request, slug)
        actions.ensure_claimable(request.user, business)  # who may claim answers first
        evidence = inputs.checked(inputs.ClaimSerializer, data)
        claim = actions.claim_business(request.user, business, **evidence)
        return Response(_status(claim), status=status.HTTP_201_CREATED)


class RevisionCreateView(BusinessView):
    """POST /api/businesses/<slug>/revisions/: the owner proposes changed fields."""

    @extend_schema(
        operation_id="businesses_revision_create",
        request=inputs.RevisionSerializer,
        responses={201: serializers.StatusSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        actions.require_login(request.user)
        business = visible_business(request, slug)
        data = _data(request)
        actions.require_owner(request.user, business)  # who may revise answers first
        changes = inputs.checked(inputs.RevisionSerializer, data)
        revision = actions.propose_revision(request.user, business, changes)
        body = {**_status(revision), "changes": revision.changes}
        return Response(body, status=status.HTTP_201_CREATED)


class PromotionCreateView(BusinessView):
    """POST /api/businesses/<slug>/promotions/: the owner proposes an event or promotion."""

    @extend_schema(
        operation_id="businesses_promotion_create",
        request=inputs.PromotionSerializer,
        responses={201: serializers.StatusSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        actions.require_login(request.user)
        business = visible_business(request, slug)
        data = _data(request)
        check = inputs.PromotionSerializer(data=data)
        check.formats(data)  # a malformed date or place answers first, as it always did
        actions.ensure_promoter(request.user, business)
        check.is_valid(raise_exception=True)
        promotion = actions.propose_promotion(request.user, business, **check.validated_data)
        return Response(_status(promotion), status=status.HTTP_201_CREATED)


# Moderation --------------------------------------------------------------------------------


class ModerationView(BusinessView):
    """Base of the moderators' endpoints: the role is checked before anything is looked up."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        rules.require_moderator(request.user, Business.moderation)

    def reason(self) -> str:
        said: str = inputs.checked(params.ModerationSerializer, _data(self.request))["reason"]
        return said

    def decide(
        self, obj: Business | Claim | Revision | Promotion, verb: str, **options: Any
    ) -> Response:
        """Apply ``verb`` (404 when the model has no such verb) and answer the new status."""
        if not type(obj).moderation.allows(verb):
            raise _unknown_verb()
        return Response(_status(moderate(obj, verb, self.request.user, self.reason(), **options)))


def _unknown_verb() -> errors.Invalid:
    return errors.Invalid(
        [errors.Problem(None, "not_found", "Tindakan tidak dikenal.", "Unknown action.")],
        status_code=404,
    )


MODERATION_RESPONSES = {
    200: serializers.StatusSerializer,
    400: ERRORS,
    401: ERRORS,
    403: ERRORS,
    404: ERRORS,
    409: ERRORS,
}


class ListingModerationView(ModerationView):
    """POST /api/businesses/<slug>/{approve,reject,hide,unhide}/ (reason for reject, hide)."""

    @extend_schema(
        operation_id="businesses_moderate",
        request=params.ModerationSerializer,
        responses=MODERATION_RESPONSES,
    )
    def post(self, request: Request, slug: str, verb: str) -> Response:
        business = Business.objects.filter(slug=slug).first()
        if business is None:
            raise not_found()
        return self.decide(business, verb)


class ClaimModerationView(ModerationView):
    """POST /api/businesses/claims/<id>/{approve,reject}/."""

    @extend_schema(
        operation_id="businesses_claim_moderate",
        request=params.ModerationSerializer,
        responses=MODERATION_RESPONSES,
    )
    def post(self, request: Request, claim_id: int, verb: str) -> Response:
        claim = Claim.objects.select_related("business").filter(pk=claim_id).first()
        if claim is None:
            raise not_found()
        return self.decide(claim, verb)


class RevisionModerationView(ModerationView):
    """POST /api/businesses/revisions/<id>/{approve,reject}/ (confirm_stale to approve stale)."""

    @extend_schema(
        operation_id="businesses_revision_moderate",
        request=params.ModerationSerializer,
        responses=MODERATION_RESPONSES,
    )
    def post(self, request: Request, revision_id: int, verb: str) -> Response:
        revision = Revision.objects.select_related("business").filter(pk=revision_id).first()
        if revision is None:
            raise not_found()
        confirm = inputs.checked(params.ModerationSerializer, _data(request))["confirm_stale"]
        return self.decide(revision, verb, confirm_stale=confirm)


class PromotionModerationView(ModerationView):
    """POST /api/businesses/promotions/<id>/{approve,reject,hide,unhide}/."""

    @extend_schema(
        operation_id="businesses_promotion_moderate",
        request=params.ModerationSerializer,
        responses=MODERATION_RESPONSES,
    )
    def post(self, request: Request, promotion_id: int, verb: str) -> Response:
        promotion = Promotion.objects.select_related("business").filter(pk=promotion_id).first()
        if promotion is None:
            raise not_found()
        return self.decide(promotion, verb)
