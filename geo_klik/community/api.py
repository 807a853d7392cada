"""The community JSON API under /api/community/: map layers, posts, comments, flags, moderation.

Reading is anonymous. Writing needs a logged-in user: a session (the pages, with CSRF) or
``Authorization: Token ...``. Moderation endpoints need a moderating role. Every refusal is
bilingual (``geo_klik.lib.errors``) and names the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_klik.accounts import login_guard, roles
from geo_klik.accounts.authentication import ExpiringTokenAuthentication
from geo_klik.community import actions, queries, serializers
from geo_klik.community.models import Comment, Post
from geo_klik.lib import bbox, errors, geo, layers
from geo_klik.moderation.actions import moderate

ERRORS = OpenApiResponse(errors.ErrorsSerializer, description="Bilingual error body.")
GEOJSON = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="FeatureCollection of Point features (properties: layer, id, title, subtitle, "
    'url, approximate, kind, kelurahan, starts_at, ends_at, venue, author, is_demo); "truncated"'
    f" is true when more than {layers.MAX_FEATURES} matched.",
)
POST = OpenApiResponse(OpenApiTypes.OBJECT, description="The post, with its visible comments.")
BBOX_PARAMS = [
    OpenApiParameter(
        bbox.PARAM, OpenApiTypes.STR, description="min_lon,min_lat,max_lon,max_lat (WGS84)."
    ),
    OpenApiParameter("kelurahan", OpenApiTypes.STR, description="A Kemendagri kelurahan code."),
]
KIND_PARAM = OpenApiParameter("kind", OpenApiTypes.STR, enum=["post", "event"])


def not_found(what_id: str, what_en: str) -> errors.Invalid:
    problem = errors.Problem(
        None, "not_found", f"{what_id} tidak ditemukan.", f"{what_en} not found."
    )
    return errors.Invalid([problem], status_code=404)


class CommunityView(APIView):
    """Anonymous reads; writes by a logged-in user; forum refusals in both languages."""

    authentication_classes = (SessionAuthentication, ExpiringTokenAuthentication)
    permission_classes = (IsAuthenticatedOrReadOnly,)

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        if not request.user.is_authenticated:
            problem = errors.Problem(
                None,
                "not_authenticated",
                "Masuk terlebih dahulu untuk menulis di forum.",
                "Log in first to write in the forum.",
            )
            raise errors.Invalid([problem], status_code=401)
        problem = errors.Problem(
            None,
            "permission_denied",
            "Hanya moderator yang dapat melakukan ini.",
            "Only a moderator can do this.",
        )
        raise errors.Invalid([problem], status_code=403)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, actions.CommunityError):
            problem = errors.Problem(exc.field, exc.code, exc.message_id, exc.message_en)
            exc = errors.Invalid([problem], status_code=exc.status_code)
        return super().handle_exception(exc)

    def address(self) -> str:
        return login_guard.client_address(self.request._request)


class ModeratorView(CommunityView):
    """Only the moderating roles (moderator, supervisor, admin)."""

    def check_permissions(self, request: Request) -> None:
        if not roles.has_any(request.user, roles.MODERATING):
            self.permission_denied(request)


# -- parsing with bilingual errors ------------------------------------------------------------


def _text(data: Any, name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise errors.invalid(name, "invalid", f"{name} harus berupa teks.", f"{name} must be text.")
    return value


def _moment(data: Any, name: str) -> datetime | None:
    raw = _text(data, name).strip()
    if not raw:
        return None
    moment = parse_datetime(raw)
    if moment is None:
        raise errors.invalid(
            name,
            "invalid",
            f"{name} harus berupa tanggal dan jam ISO 8601, mis. 2025-06-01T19:30+07:00.",
            f"{name} must be an ISO 8601 date and time, e.g. 2025-06-01T19:30+07:00.",
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _lat_lon(data: Any) -> tuple[float | None, float | None]:
    raw_lat, raw_lon = data.get("lat"), data.get("lon")
    if raw_lat in (None, "") and raw_lon in (None, ""):
        return None, None
    try:
        return geo.parse_lat_lon(raw_lat, raw_lon)
    except geo.InvalidCoordinates as bad:
        raise errors.invalid(bad.field, "invalid", bad.message_id, bad.message_en) from None


def _kelurahan_code(raw: str, *, field: str = "kelurahan") -> Any:
    code = raw.strip()
    if not code:
        return None
    kelurahan = queries.kelurahan_by_code(code)
    if kelurahan is None:
        raise errors.invalid(
            field, "unknown_kelurahan", "Kelurahan tidak dikenal.", "Unknown kelurahan."
        )
    return kelurahan


def post_fields(data: Any, *, default_kind: str = Post.Kind.POST) -> actions.PostFields:
    lat, lon = _lat_lon(data)
    return actions.PostFields(
        kind=_text(data, "kind") or default_kind,
        title=_text(data, "title"),
        body=_text(data, "body"),
        kelurahan=_kelurahan_code(_text(data, "kelurahan")),
        lat=lat,
        lon=lon,
        starts_at=_moment(data, "starts_at"),
        ends_at=_moment(data, "ends_at"),
        venue=_text(data, "venue"),
    )


def map_filter(params: Any, *, kind: str | None = None) -> queries.MapFilter:
    wanted_kind = kind or params.get("kind") or None
    if wanted_kind is not None and wanted_kind not in Post.Kind.values:
        raise errors.invalid(
            "kind", "invalid", "kind harus post atau event.", "kind must be post or event."
        )
    code = (params.get("kelurahan") or "").strip() or None
    if code is not None and queries.kelurahan_by_code(code) is None:
        raise errors.invalid(
            "kelurahan", "unknown_kelurahan", "Kelurahan tidak dikenal.", "Unknown kelurahan."
        )
    return queries.MapFilter(kind=wanted_kind, kelurahan_code=code)


class MapView(layers.LayerView):
    """GET the located visible posts and events not over in a bbox (``kind`` one of them)."""

    serializer_class = serializers.PostFeatureSerializer
    renderer_classes = (layers.GeoJSONRenderer,)
    always_say_truncated = True
    refuse_bad_box_first = False  # a bad kind or kelurahan is named before a bad box
    kind: str | None = None

    def get_queryset(self) -> QuerySet[Post]:
        return queries.map_posts(map_filter(self.request.query_params, kind=self.kind))


# -- reading and writing posts ------------------------------------------------------------------


class PostCollectionView(CommunityView):
    """GET: located visible posts and events not over, as GeoJSON; POST: a new post."""

    def get_renderers(self) -> list[BaseRenderer]:
        # GeoJSON for the list, plain JSON for the created post.
        return [
            layers.GeoJSONRenderer() if self.request.method in ("GET", "HEAD") else JSONRenderer()
        ]

    @extend_schema(
        operation_id="community_posts_list",
        parameters=[*BBOX_PARAMS, KIND_PARAM],
        responses={200: GEOJSON, 400: ERRORS},
    )
    def get(self, request: Request) -> Response:
        # The map layers' answer, under the forum's authentication (a bad token is a 401).
        layer = MapView(request=request, args=(), kwargs={}, format_kwarg=None)
        return Response(layer.feature_collection())

    @extend_schema(
        operation_id="community_posts_create",
        request=serializers.PostInputSerializer,
        responses={201: POST, 400: ERRORS, 401: ERRORS, 403: ERRORS, 429: ERRORS},
    )
    def post(self, request: Request) -> Response:
        made = actions.create_post(request.user, post_fields(request.data))
        return Response(serializers.post_json(made, []), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        operation_id="community_layer_posts",
        parameters=BBOX_PARAMS,
        responses={200: GEOJSON, 400: ERRORS},
    )
)
class PostsLayerView(MapView):
    """The "community_posts" map layer: located posts."""

    kind = Post.Kind.POST


@extend_schema_view(
    get=extend_schema(
        operation_id="community_layer_events",
        parameters=BBOX_PARAMS,
        responses={200: GEOJSON, 400: ERRORS},
    )
)
class EventsLayerView(MapView):
    """The "community_events" map layer: located events that have not ended."""

    kind = Post.Kind.EVENT


def _current(post: Post) -> dict[str, Any]:
    """A post's editable fields in the input shape, so a PATCH changes only what it sends."""
    lat, lon = geo.lat_lon(post.location) if post.location is not None else (None, None)
    return {
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "kelurahan": post.kelurahan.code_kemendagri if post.kelurahan else "",
        "lat": lat,
        "lon": lon,
        "starts_at": post.starts_at.isoformat() if post.starts_at else "",
        "ends_at": post.ends_at.isoformat() if post.ends_at else "",
        "venue": post.venue,
    }


def _visible_post(request: Request, post_id: int) -> Post:
    post = queries.post_for(request.user, post_id)
    if post is None:
        raise not_found("Pos", "Post")
    return post


class PostDetailView(CommunityView):
    """GET the post with its visible comments; PATCH (author) rewrites it; DELETE hides it."""

    @extend_schema(operation_id="community_post_detail", responses={200: POST, 404: ERRORS})
    def get(self, request: Request, post_id: int) -> Response:
        post = _visible_post(request, post_id)
        comments = list(queries.comments_visible_to(request.user, post))
        return Response(serializers.post_json(post, comments))

    @extend_schema(
        operation_id="community_post_edit",
        request=serializers.PostInputSerializer,
        responses={200: POST, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def patch(self, request: Request, post_id: int) -> Response:
        post = _visible_post(request, post_id)
        data = {**_current(post), **dict(request.data.items())}
        actions.edit_post(post, request.user, post_fields(data))
        return Response(serializers.post_json(post, []))

    @extend_schema(
        operation_id="community_post_delete",
        request=None,
        responses={200: POST, 403: ERRORS, 404: ERRORS},
    )
    def delete(self, request: Request, post_id: int) -> Response:
        post = _visible_post(request, post_id)
        actions.delete_post(post, request.user)
        return Response(serializers.post_json(post))


# -- comments and flags ------------------------------------------------------------------------


class CommentCreateView(CommunityView):
    """POST a comment under a visible post."""

    @extend_schema(
        operation_id="community_comment_create",
        request=serializers.CommentInputSerializer,
        responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 401: ERRORS, 403: ERRORS, 429: ERRORS},
    )
    def post(self, request: Request, post_id: int) -> Response:
        post = _visible_post(request, post_id)
        made = actions.add_comment(post, request.user, _text(request.data, "body"))
        return Response(serializers.comment_json(made), status=status.HTTP_201_CREATED)


def _visible_comment(request: Request, comment_id: int) -> Comment:
    comment = queries.comment_for(request.user, comment_id)
    if comment is None:
        raise not_found("Komentar", "Comment")
    return comment


class FlagView(CommunityView):
    """POST an abuse report on a post or comment (once per user and target)."""

    target_type = "post"

    @extend_schema(
        request=serializers.FlagInputSerializer,
        responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 401: ERRORS, 403: ERRORS, 409: ERRORS},
    )
    def post(self, request: Request, target_id: int) -> Response:
        target: Post | Comment
        if self.target_type == "post":
            target = _visible_post(request, target_id)
        else:
            target = _visible_comment(request, target_id)
        made = actions.flag(
            target,
            request.user,
            reason=_text(request.data, "reason"),
            note=_text(request.data, "note"),
        )
        return Response(serializers.flag_json(made), status=status.HTTP_201_CREATED)


class PostFlagView(FlagView):
    target_type = "post"

    @extend_schema(
        operation_id="community_post_flag",
        request=serializers.FlagInputSerializer,
        responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 401: ERRORS, 403: ERRORS, 409: ERRORS},
    )
    def post(self, request: Request, target_id: int) -> Response:
        return super().post(request, target_id)


class CommentFlagView(FlagView):
    target_type = "comment"

    @extend_schema(
        operation_id="community_comment_flag",
        request=serializers.FlagInputSerializer,
        responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 401: ERRORS, 403: ERRORS, 409: ERRORS},
    )
    def post(self, request: Request, target_id: int) -> Response:
        return super().post(request, target_id)


# -- moderation ---------------------------------------------------------------------------------

VERBS = ("hide", "unhide", "dismiss-flags")


class ModerateView(ModeratorView):
    """POST hide (reason required) / unhide / dismiss-flags on a post or a comment."""

    target_type = "post"

    @extend_schema(
        request=serializers.ModerationInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request: Request, target_id: int, verb: str) -> Response:
        target: Post | Comment
        if self.target_type == "post":
            target = _visible_post(request, target_id)
        else:
            target = _visible_comment(request, target_id)
        reason = _text(request.data, "reason")
        if verb == "hide":
            moderate(target, "hide", request.user, reason, address=self.address())
        elif verb == "unhide":
            moderate(target, "unhide", request.user, reason, address=self.address())
        elif verb == "dismiss-flags":
            actions.dismiss_flags(target, request.user, note=reason, address=self.address())
        else:
            raise not_found("Tindakan", "Action")
        target.refresh_from_db()
        if isinstance(target, Post):
            return Response(serializers.post_json(target))
        return Response(serializers.comment_json(target))


class ModeratePostView(ModerateView):
    target_type = "post"

    @extend_schema(
        operation_id="community_moderate_post",
        description="verb: hide (reason required), unhide, dismiss-flags.",
        request=serializers.ModerationInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request: Request, target_id: int, verb: str) -> Response:
        return super().post(request, target_id, verb)


class ModerateCommentView(ModerateView):
    target_type = "comment"

    @extend_schema(
        operation_id="community_moderate_comment",
        description="verb: hide (reason required), unhide, dismiss-flags.",
        request=serializers.ModerationInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request: Request, target_id: int, verb: str) -> Response:
        return super().post(request, target_id, verb)


class ModerationQueueView(ModeratorView):
    """GET the moderation queue: auto-hidden and flagged posts and comments, with open flags."""

    @extend_schema(operation_id="community_moderation_queue", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        def flags(target: Any) -> list[dict[str, Any]]:
            return [
                {**serializers.flag_json(f), "note": f.note, "reporter": f.reporter.get_username()}
                for f in target.open_flag_list
            ]

        posts = queries.moderation_queue_posts()[:200]
        comments = queries.moderation_queue_comments()[:200]
        return Response(
            {
                "posts": [
                    {
                        **serializers.post_json(p),
                        "username": p.author.get_username(),
                        "flags": flags(p),
                    }
                    for p in posts
                ],
                "comments": [
                    {
                        **serializers.comment_json(c),
                        "post": c.post_id,
                        "username": c.author.get_username(),
                        "flags": flags(c),
                    }
                    for c in comments
                ],
            }
        )


def ban_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "username": row.user.get_username(),
        "reason": row.reason,
        "until": row.until.isoformat() if row.until else None,
        "active": row.is_active,
        "lifted_at": row.lifted_at.isoformat() if row.lifted_at else None,
    }


class BanCollectionView(ModeratorView):
    """GET the bans in force; POST a ban of a user by username."""

    @extend_schema(operation_id="community_bans_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        rows = queries.active_bans().select_related("user").order_by("-created_at")[:500]
        return Response({"bans": [ban_json(r) for r in rows]})

    @extend_schema(
        operation_id="community_bans_create",
        request=serializers.BanInputSerializer,
        responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 403: ERRORS},
    )
    def post(self, request: Request) -> Response:
        user = queries.user_by_username(_text(request.data, "username").strip())
        if user is None:
            raise errors.invalid(
                "username", "unknown_user", "Pengguna tidak ditemukan.", "No such user."
            )
        made = actions.ban(
            user,
            request.user,
            reason=_text(request.data, "reason"),
            until=_moment(request.data, "until"),
            address=self.address(),
        )
        return Response(ban_json(made), status=status.HTTP_201_CREATED)


class BanLiftView(ModeratorView):
    """POST: lift a ban now."""

    @extend_schema(
        operation_id="community_bans_lift",
        request=None,
        responses={200: OpenApiTypes.OBJECT, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request: Request, ban_id: int) -> Response:
        row = queries.ban_history().filter(pk=ban_id).first()
        if row is None:
            raise not_found("Blokir", "Ban")
        actions.lift_ban(row, request.user, address=self.address())
        return Response(ban_json(row))
