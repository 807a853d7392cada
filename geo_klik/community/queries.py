"""Reads of the community forum: what each user may see, boards, the map, the moderation queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from geo_klik.boundaries.models import Kelurahan
from geo_klik.community.models import (
    EVENT_DEFAULT_DURATION,
    Ban,
    Comment,
    Flag,
    Post,
    Profile,
    Status,
)
from geo_klik.lib import geo
from geo_klik.moderation.rules import can_moderate


def active_ban(user: Any) -> Ban | None:
    """The ban in force on a user (a permanent one first, else the one that lasts longest)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        active_bans()
        .filter(user_id=user.pk)
        .order_by(F("until").desc(nulls_first=True))  # NULL: permanent
        .first()
    )


def active_bans() -> QuerySet[Ban]:
    now = timezone.now()
    return Ban.objects.filter(lifted_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gt=now)
    )


def ban_history() -> QuerySet[Ban]:
    return Ban.objects.select_related("user", "created_by", "lifted_by")


def kelurahan_by_code(code: str) -> Kelurahan | None:
    return Kelurahan.objects.select_related("kecamatan").filter(code_kemendagri=code).first()


def kelurahan_choices() -> QuerySet[Kelurahan]:
    return Kelurahan.objects.select_related("kecamatan").order_by("name")


def _with_people(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author__community_profile", "kelurahan__kecamatan", "hidden_by")


def posts_visible_to(user: Any) -> QuerySet[Post]:
    """Visible posts; a moderator sees every post, an author also their own hidden ones."""
    posts = _with_people(Post.objects.all())
    if can_moderate(user):
        return posts
    if getattr(user, "is_authenticated", False):
        return posts.filter(Q(status=Status.VISIBLE) | Q(author_id=user.pk))
    return posts.filter(status=Status.VISIBLE)


def post_for(user: Any, post_id: int) -> Post | None:
    return posts_visible_to(user).filter(pk=post_id).first()


def comments_visible_to(user: Any, post: Post) -> QuerySet[Comment]:
    comments = post.comments.select_related("author__community_profile", "hidden_by")
    if can_moderate(user):
        return comments
    if getattr(user, "is_authenticated", False):
        return comments.filter(Q(status=Status.VISIBLE) | Q(author_id=user.pk))
    return comments.filter(status=Status.VISIBLE)


def comment_for(user: Any, comment_id: int) -> Comment | None:
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None or post_for(user, comment.post_id) is None:
        return None
    return comments_visible_to(user, comment.post).filter(pk=comment_id).first()


def not_over(now: datetime | None = None) -> Q:
    """Posts, and events that have not ended yet."""
    now = now or timezone.now()
    return (
        Q(kind=Post.Kind.POST)
        | Q(ends_at__gte=now)
        | Q(ends_at__isnull=True, starts_at__gte=now - EVENT_DEFAULT_DURATION)
    )


@dataclass(frozen=True)
class BoardFilter:
    """What a board shows: one kelurahan (with the city-wide posts) or all, one kind or both."""

    kelurahan: Kelurahan | None = None
    kind: str | None = None


def board_posts(user: Any, wanted: BoardFilter) -> QuerySet[Post]:
    """A board's recent posts (and events), newest first; ended events are kept (history)."""
    posts = posts_visible_to(user)
    if wanted.kelurahan is not None:
        posts = posts.filter(Q(kelurahan=wanted.kelurahan) | Q(kelurahan__isnull=True))
    if wanted.kind:
        posts = posts.filter(kind=wanted.kind)
    return posts.annotate(
        comment_count=Count("comments", filter=Q(comments__status=Status.VISIBLE))
    ).order_by("-created_at", "-id")


def upcoming_events(user: Any, wanted: BoardFilter, *, limit: int = 5) -> list[Post]:
    """The next events of a board that have not ended, soonest first."""
    events = board_posts(user, BoardFilter(kelurahan=wanted.kelurahan, kind=Post.Kind.EVENT))
    return list(events.filter(not_over()).order_by("starts_at", "id")[:limit])


def posts_near(user: Any, lat: float, lon: float, *, radius_m: float) -> QuerySet[Post]:
    """Located posts (and events not over) within ``radius_m`` metres, nearest first."""
    location = geo.point(lat, lon)
    margin_deg = geo.degrees_margin(lat, radius_m)
    return (
        posts_visible_to(user)
        .filter(not_over(), location__dwithin=(location, margin_deg))
        .annotate(distance=Distance("location", location))
        .filter(distance__lte=D(m=radius_m))
        .order_by("distance", "-created_at")
    )


@dataclass(frozen=True)
class MapFilter:
    kind: str | None = None
    kelurahan_code: str | None = None


def map_posts(wanted: MapFilter) -> QuerySet[Post]:
    """Visible located posts and events not over, newest first (the map layers, before the box)."""
    posts = Post.objects.filter(status=Status.VISIBLE, location__isnull=False).filter(not_over())
    if wanted.kind:
        posts = posts.filter(kind=wanted.kind)
    if wanted.kelurahan_code:
        posts = posts.filter(kelurahan__code_kemendagri=wanted.kelurahan_code)
    posts = posts.select_related("kelurahan", "author__community_profile")
    return posts.order_by("-created_at", "-id")


def search_posts(
    *, text: str, kind: str, lat: float | None, lon: float | None, radius_m: float, limit: int
) -> list[Post]:
    """Visible located-or-not posts of one kind matching ``text`` (title or body), or near a point.

    With a position only located posts within ``radius_m`` match, nearest first (``distance``
    annotated); without one, title matches come before body matches, newest first.
    """
    posts = Post.objects.filter(status=Status.VISIBLE, kind=kind).filter(not_over())
    if text:
        posts = posts.filter(Q(title__icontains=text) | Q(body__icontains=text))
    title_match = When(title__icontains=text, then=Value(1)) if text else When(pk=None, then=0)
    posts = posts.select_related("kelurahan").annotate(
        title_match=Case(title_match, default=Value(0), output_field=IntegerField())
    )
    if lat is not None and lon is not None:
        location = geo.point(lat, lon)
        posts = (
            posts.filter(location__dwithin=(location, geo.degrees_margin(lat, radius_m)))
            .annotate(distance=Distance("location", location))
            .filter(distance__lte=D(m=radius_m))
            .order_by("distance", "-created_at")
        )
    else:
        posts = posts.order_by("-title_match", "-created_at", "-id")
    return list(posts[:limit])


def posts_created_since(user: Any, since: datetime) -> int:
    return Post.objects.filter(author_id=user.pk, created_at__gte=since).count()


def comments_created_since(user: Any, since: datetime) -> int:
    return Comment.objects.filter(author_id=user.pk, created_at__gte=since).count()


def counting_flags(target: Post | Comment) -> int:
    """Distinct users whose open flags on ``target`` count towards hiding it automatically.

    The author's own flags never count, nor those of users banned now.
    """
    banned = active_bans().filter(user_id=OuterRef("reporter_id"))
    return (
        open_flags(target)
        .exclude(reporter_id=target.author_id)
        .exclude(Exists(banned))
        .values("reporter_id")
        .distinct()
        .count()
    )


def open_flags(target: Post | Comment) -> QuerySet[Flag]:
    return target.open_flags()


def has_flagged(user: Any, target: Post | Comment) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    field = "post" if isinstance(target, Post) else "comment"
    return Flag.objects.filter(**{field: target}, reporter_id=user.pk).exists()


def _open_flags_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("reporter"),
        to_attr="open_flag_list",
    )


def moderation_queue_posts() -> QuerySet[Post]:
    """Posts waiting for a moderator: auto-hidden pending review, or with open flags."""
    has_open = Exists(Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True))
    return (
        _with_people(Post.objects.filter(Q(needs_review=True) | has_open))
        .prefetch_related(_open_flags_prefetch())
        .order_by("-needs_review", "-updated_at", "-id")
    )


def moderation_queue_comments() -> QuerySet[Comment]:
    """Comments waiting for a moderator, like ``moderation_queue_posts``."""
    has_open = Exists(Flag.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
    return (
        Comment.objects.filter(Q(needs_review=True) | has_open)
        .select_related("author__community_profile", "post", "hidden_by")
        .prefetch_related(_open_flags_prefetch())
        .order_by("-needs_review", "-updated_at", "-id")
    )


def user_by_id(user_id: int) -> Any:
    return get_user_model().objects.filter(pk=user_id).first()


def user_by_username(username: str) -> Any:
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def profile_of(user: Any) -> Profile | None:
    try:
        profile: Profile = user.community_profile
    except Profile.DoesNotExist:
        return None
    return profile


def since_one_hour_ago() -> datetime:
    return timezone.now() - timedelta(hours=1)
