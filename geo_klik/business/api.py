"""The business API under /api/businesses/: GeoJSON layers, details, proposals, moderation.

Reads are public and show published content only (plus, for a logged-in owner or moderator,
what they may see). Writes take a session (with CSRF) or a token. Every refusal answers the
bilingual error body of ``lib.errors``, naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
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
from geo_klik.business import actions, queries, serializers
from geo_klik.business.models import Business, Category, Claim, Promotion, Revision
from geo_klik.lib import errors, geo, layers, opening_hours
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate

ERRORS = OpenApiResponse(errors.ErrorsSerializer, description="Bilingual error body.")
TRUE = {"1", "true", "yes", "ya"}
FALSE = {"0", "false", "no", "tidak", ""}


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


def _flag(request: Request, name: str) -> bool:
    raw = (request.query_params.get(name) or "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise errors.invalid(name, "invalid", f"{name} harus 1 atau 0.", f"{name} must be 1 or 0.")


def _category(request: Request) -> str:
    raw = (request.query_params.get("category") or "").strip()
    if raw and raw not in Category.values:
        raise errors.invalid(
            "category",
            "invalid",
            "Kategori tidak dikenal. Pilihan: " + ", ".join(Category.values) + ".",
            "Unknown category. Choices: " + ", ".join(Category.values) + ".",
        )
    return raw


@extend_schema_view(
    get=extend_schema(
        operation_id="businesses_list",
        parameters=[
            OpenApiParameter(
                "in_bbox", OpenApiTypes.STR, description="min_lon,min_lat,max_lon,max_lat"
            ),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values),
            OpenApiParameter("open_now", OpenApiTypes.BOOL, description="1: open right now."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Text in name or description."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS},
    )
)
class BusinessListView(layers.LayerView):
    """GET /api/businesses/: published listings as GeoJSON (the "businesses" map layer)."""

    serializer_class = serializers.BusinessFeatureSerializer
    bbox_filter_lookup = "within"  # a point on the box's edge is out, as it always was

    def now(self) -> dt.datetime:
        return queries.current_time()

    def get_queryset(self) -> QuerySet[Business]:
        return queries.filtered(
            queries.published_businesses(),
            text=self.request.query_params.get("q", "")[:100],
            category=_category(self.request),
        )

    def first_rows(self, rows: QuerySet[Business], count: int) -> list[Business]:
        if not _flag(self.request, "open_now"):
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
        parameters=[
            OpenApiParameter(
                "in_bbox", OpenApiTypes.STR, description="min_lon,min_lat,max_lon,max_lat"
            ),
            OpenApiParameter(
                "current", OpenApiTypes.BOOL, description="1: only those running now."
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Promotion.Kind.values),
        ],
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
        at = self.moment
        current = _flag(self.request, "current")
        rows = queries.current_promotions(at) if current else queries.public_promotions(at)
        kind = (self.request.query_params.get("kind") or "").strip()
        if kind:
            if kind not in Promotion.Kind.values:
                raise errors.invalid("kind", "invalid", "Jenis tidak dikenal.", "Unknown kind.")
            rows = rows.filter(kind=kind)
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
        request=serializers.ClaimInputSerializer,
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
        claim = actions.claim_business(
            request.user,
            visible_business(request, slug),
            message=str(data.get("message") or ""),
            contact_phone=str(data.get("contact_phone") or ""),
        )
        return Response(_status(claim), status=status.HTTP_201_CREATED)


class RevisionCreateView(BusinessView):
    """POST /api/businesses/<slug>/revisions/: the owner proposes changed fields."""

    @extend_schema(
        operation_id="businesses_revision_create",
        request=serializers.RevisionInputSerializer,
        responses={201: serializers.StatusSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        actions.require_login(request.user)
        business = visible_business(request, slug)
        revision = actions.propose_revision(request.user, business, _data(request))
        body = {**_status(revision), "changes": revision.changes}
        return Response(body, status=status.HTTP_201_CREATED)


def parse_moment(field: str, raw: Any) -> dt.datetime | None:
    """An ISO 8601 date-time; without an offset it is WIB (the city's clock)."""
    if raw in (None, ""):
        return None
    moment = parse_datetime(str(raw)) if isinstance(raw, str) else None
    if moment is None:
        raise actions.refuse(
            field,
            "invalid",
            f"{field} harus berupa tanggal dan jam ISO 8601 (mis. 2025-08-17T09:00).",
            f"{field} must be an ISO 8601 date and time (e.g. 2025-08-17T09:00).",
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=opening_hours.WIB)
    return moment


class PromotionCreateView(BusinessView):
    """POST /api/businesses/<slug>/promotions/: the owner proposes an event or promotion."""

    @extend_schema(
        operation_id="businesses_promotion_create",
        request=serializers.PromotionInputSerializer,
        responses={201: serializers.StatusSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        actions.require_login(request.user)
        business = visible_business(request, slug)
        data = _data(request)
        lat = lon = None
        if data.get("lat") not in (None, "") or data.get("lon") not in (None, ""):
            try:
                lat, lon = geo.parse_lat_lon(data.get("lat"), data.get("lon"))
            except geo.InvalidCoordinates as exc:
                raise actions.refuse(exc.field, "invalid", exc.message_id, exc.message_en) from None
        promotion = actions.propose_promotion(
            request.user,
            business,
            kind=str(data.get("kind") or Promotion.Kind.PROMOTION),
            title_id=str(data.get("title_id") or ""),
            title_en=str(data.get("title_en") or ""),
            body_id=str(data.get("body_id") or ""),
            body_en=str(data.get("body_en") or ""),
            starts_at=parse_moment("starts_at", data.get("starts_at")),
            ends_at=parse_moment("ends_at", data.get("ends_at")),
            lat=lat,
            lon=lon,
        )
        return Response(_status(promotion), status=status.HTTP_201_CREATED)


# Moderation --------------------------------------------------------------------------------


class ModerationView(BusinessView):
    """Base of the moderators' endpoints: the role is checked before anything is looked up."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        rules.require_moderator(request.user, Business.moderation)

    def reason(self) -> str:
        return str(_data(self.request).get("reason") or "")

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
        request=serializers.ReasonInputSerializer,
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
        request=serializers.ReasonInputSerializer,
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
        request=serializers.ApproveRevisionInputSerializer,
        responses=MODERATION_RESPONSES,
    )
    def post(self, request: Request, revision_id: int, verb: str) -> Response:
        revision = Revision.objects.select_related("business").filter(pk=revision_id).first()
        if revision is None:
            raise not_found()
        confirm = str(_data(request).get("confirm_stale", "")).lower() in TRUE
        return self.decide(revision, verb, confirm_stale=confirm)


class PromotionModerationView(ModerationView):
    """POST /api/businesses/promotions/<id>/{approve,reject,hide,unhide}/."""

    @extend_schema(
        operation_id="businesses_promotion_moderate",
        request=serializers.ReasonInputSerializer,
        responses=MODERATION_RESPONSES,
    )
    def post(self, request: Request, promotion_id: int, verb: str) -> Response:
        promotion = Promotion.objects.select_related("business").filter(pk=promotion_id).first()
        if promotion is None:
            raise not_found()
        return self.decide(promotion, verb)
