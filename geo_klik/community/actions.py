"""Writes of the community forum: sign-up, posts, comments, flags, and the moderation rules.

The rules, in one place:

- a banned user cannot post, edit, comment or flag (``Banned`` says until when);
- at most ``POSTS_PER_HOUR`` posts and ``COMMENTS_PER_HOUR`` comments per user per hour;
- authors edit their own posts; deleting one hides it (cause ``author``);
- a target flagged by ``AUTO_HIDE_FLAGS`` distinct users is hidden pending review; flags by its
  author or by users banned now do not count;
- a moderator hides or unhides with a reason, dismisses flags, bans and lifts bans; each decision
  resolves the target's open flags, so the same flags never hide it again; every moderator
  action (and every automatic hide) writes an audit log entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from geo_klik.accounts import audit
from geo_klik.boundaries import cities
from geo_klik.boundaries import queries as boundary_queries
from geo_klik.boundaries.models import Kelurahan
from geo_klik.community import queries
from geo_klik.community.errors import Banned as Banned
from geo_klik.community.errors import CommunityError as CommunityError
from geo_klik.community.errors import NotAllowed as NotAllowed
from geo_klik.community.errors import RateLimited as RateLimited
from geo_klik.community.models import (
    MODERATION,
    Ban,
    Comment,
    Flag,
    HiddenCause,
    Post,
    Profile,
    Status,
    local_time_text,
)
from geo_klik.lib import geo
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate

AUTO_HIDE_FLAGS = 3
POSTS_PER_HOUR = 5
COMMENTS_PER_HOUR = 30


# -- residents ---------------------------------------------------------------------------------


def sign_up(
    *, username: str, password: str, display_name: str, home_kelurahan: Kelurahan | None
) -> User:
    """A resident: a plain account in no role group, with a forum profile."""
    with transaction.atomic():
        user: User = get_user_model().objects.create_user(username=username, password=password)
        Profile.objects.create(
            user=user, display_name=display_name.strip(), home_kelurahan=home_kelurahan
        )
    return user


def ensure_not_banned(user: Any) -> None:
    ban = queries.active_ban(user)
    if ban is None:
        return
    if ban.until is None:
        raise Banned(
            None,
            "banned",
            f"Akun Anda diblokir permanen dari forum. Alasan: {ban.reason}",
            f"Your account is banned from the forum permanently. Reason: {ban.reason}",
        )
    until = local_time_text(ban.until)
    raise Banned(
        None,
        "banned",
        f"Akun Anda diblokir dari forum sampai {until}. Alasan: {ban.reason}",
        f"Your account is banned from the forum until {until}. Reason: {ban.reason}",
    )


def _lock_author(user: Any) -> None:
    """Serialise one user's writes, so two quick requests cannot both pass the hourly limit."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _ensure_post_quota(user: Any) -> None:
    if queries.posts_created_since(user, queries.since_one_hour_ago()) >= POSTS_PER_HOUR:
        raise RateLimited(
            None,
            "rate_limited",
            f"Anda sudah membuat {POSTS_PER_HOUR} pos dalam satu jam terakhir. Coba lagi nanti.",
            f"You have made {POSTS_PER_HOUR} posts in the last hour. Try again later.",
        )


def _ensure_comment_quota(user: Any) -> None:
    if queries.comments_created_since(user, queries.since_one_hour_ago()) >= COMMENTS_PER_HOUR:
        raise RateLimited(
            None,
            "rate_limited",
            f"Anda sudah menulis {COMMENTS_PER_HOUR} komentar dalam satu jam terakhir. "
            "Coba lagi nanti.",
            f"You have written {COMMENTS_PER_HOUR} comments in the last hour. Try again later.",
        )


@dataclass(frozen=True)
class PostFields:
    """What an author writes; ``lat``/``lon`` both set pin the post, both None leave it unpinned."""

    kind: str
    title: str
    body: str
    kelurahan: Kelurahan | None = None
    lat: float | None = None
    lon: float | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue: str = ""


def _check(fields: PostFields) -> dict[str, Any]:
    """The post's column values from what was written, or CommunityError naming the field."""
    if fields.kind not in Post.Kind.values:
        raise CommunityError(
            "kind", "invalid", "Jenis harus post atau event.", "Kind must be post or event."
        )
    title, body = fields.title.strip(), fields.body.strip()
    if not title:
        raise CommunityError("title", "required", "Judul wajib diisi.", "A title is required.")
    if len(title) > 140:
        raise CommunityError(
            "title", "too_long", "Judul paling panjang 140 huruf.", "At most 140 characters."
        )
    if not body:
        raise CommunityError("body", "required", "Isi wajib diisi.", "The text is required.")
    if len(body) > 5000:
        raise CommunityError(
            "body", "too_long", "Isi paling panjang 5000 huruf.", "At most 5000 characters."
        )
    values: dict[str, Any] = {"kind": fields.kind, "title": title, "body": body}
    values.update(_place(fields))
    values.update(_event(fields))
    return values


def _place(fields: PostFields) -> dict[str, Any]:
    if fields.lat is None or fields.lon is None:
        return {"location": None, "kelurahan": fields.kelurahan, "location_approximate": False}
    kelurahan = boundary_queries.kelurahan_for_point(fields.lat, fields.lon)
    if kelurahan is None:
        raise CommunityError(
            "location",
            "outside_city",
            f"Titik ini di luar {cities.served().name}. Pindahkan pin ke dalam kota atau hapus "
            "pin.",
            f"This point is outside {cities.served().name}. Move the pin into the city or remove "
            "it.",
        )
    return {
        "location": geo.point(fields.lat, fields.lon),
        "kelurahan": kelurahan,
        "location_approximate": False,
    }


def _event(fields: PostFields) -> dict[str, Any]:
    if fields.kind != Post.Kind.EVENT:
        return {"starts_at": None, "ends_at": None, "venue": ""}
    if fields.starts_at is None:
        raise CommunityError(
            "starts_at",
            "required",
            "Acara perlu waktu mulai.",
            "An event needs a start time.",
        )
    if fields.ends_at is not None and fields.ends_at <= fields.starts_at:
        raise CommunityError(
            "ends_at",
            "before_start",
            "Waktu selesai harus sesudah waktu mulai.",
            "The end must be after the start.",
        )
    return {
        "starts_at": fields.starts_at,
        "ends_at": fields.ends_at,
        "venue": fields.venue.strip()[:200],
    }


def create_post(author: Any, fields: PostFields, *, is_demo: bool = False) -> Post:
    """A new visible post by ``author`` (refused while banned or over the hourly limit)."""
    values = _check(fields)
    with transaction.atomic():
        _lock_author(author)
        ensure_not_banned(author)
        _ensure_post_quota(author)
        return Post.objects.create(author=author, is_demo=is_demo, **values)


def _ensure_author(post: Post | Comment, user: Any) -> None:
    if post.author_id != user.pk:
        raise NotAllowed(
            None,
            "not_author",
            "Hanya penulisnya yang dapat mengubah ini.",
            "Only its author can change this.",
        )


def edit_post(post: Post, editor: Any, fields: PostFields) -> Post:
    """The author rewrites their post (kind, text, place, event times); it keeps its status."""
    _ensure_author(post, editor)
    values = _check(fields)
    with transaction.atomic():
        ensure_not_banned(editor)
        for name, value in values.items():
            setattr(post, name, value)
        post.save()
    return post


def delete_post(post: Post, author: Any) -> Post:
    """The author withdraws their post: it is hidden (cause ``author``), never erased."""
    _ensure_author(post, author)
    if post.is_hidden:
        return post
    post.status = Status.HIDDEN
    post.hidden_cause = HiddenCause.AUTHOR
    post.hidden_by = author
    post.hidden_at = timezone.now()
    post.hidden_reason = ""
    post.save()
    return post


def add_comment(post: Post, author: Any, body: str) -> Comment:
    """A visible comment under a visible post."""
    text = body.strip()
    if not text:
        raise CommunityError(
            "body", "required", "Tulis komentar terlebih dahulu.", "Write a comment first."
        )
    if len(text) > 5000:
        raise CommunityError(
            "body", "too_long", "Komentar paling panjang 5000 huruf.", "At most 5000 characters."
        )
    if post.is_hidden:
        raise NotAllowed(
            None,
            "post_hidden",
            "Pos ini disembunyikan; komentar ditutup.",
            "This post is hidden; comments are closed.",
        )
    with transaction.atomic():
        _lock_author(author)
        ensure_not_banned(author)
        _ensure_comment_quota(author)
        return Comment.objects.create(post=post, author=author, body=text)


def flag(target: Post | Comment, reporter: Any, *, reason: str, note: str = "") -> Flag:
    """Report a post or comment; enough distinct reporters hide it pending review."""
    if reason not in Flag.Reason.values:
        raise CommunityError(
            "reason", "invalid", "Pilih alasan laporan.", "Choose a reason for the report."
        )
    with transaction.atomic():
        ensure_not_banned(reporter)
        _lock(target)
        field = "post" if isinstance(target, Post) else "comment"
        try:
            with transaction.atomic():
                made = Flag.objects.create(
                    reporter=reporter, reason=reason, note=note.strip()[:1000], **{field: target}
                )
        except IntegrityError:
            raise CommunityError(
                None,
                "already_flagged",
                "Anda sudah melaporkan ini. Moderator akan memeriksanya.",
                "You already reported this. A moderator will look at it.",
                status_code=409,
            ) from None
        if not target.is_hidden and queries.counting_flags(target) >= AUTO_HIDE_FLAGS:
            _hide_automatically(target)
    return made


def _lock(target: Post | Comment) -> None:
    """Lock the row and bring ``target`` up to date, so two decisions never cross."""
    list(type(target).objects.select_for_update().filter(pk=target.pk).values_list("pk"))
    target.refresh_from_db()


def _hide_automatically(target: Post | Comment) -> None:
    before = target.moderation_snapshot("")
    target.status = Status.HIDDEN
    target.hidden_cause = HiddenCause.FLAGS
    target.hidden_reason = f"{AUTO_HIDE_FLAGS}+ flags"
    target.hidden_by = None
    target.hidden_at = timezone.now()
    target.needs_review = True
    target.save()
    audit.record(
        None,
        "community.auto_hide",
        target,
        before=before,
        after=target.moderation_snapshot(""),
        note=f"Hidden automatically after {AUTO_HIDE_FLAGS} flags by distinct users.",
    )


# -- moderators --------------------------------------------------------------------------------


def _ensure_moderator(user: Any) -> None:
    rules.require_moderator(user, MODERATION)


def _resolve_flags(target: Post | Comment, moderator: Any, resolution: str) -> int:
    return target.open_flags().update(
        resolved_at=timezone.now(), resolved_by=moderator, resolution=resolution
    )


def dismiss_flags(
    target: Post | Comment, moderator: Any, *, note: str = "", address: str | None = None
) -> int:
    """A moderator finds the flags unfounded: they are closed, and an auto-hidden target shown."""
    _ensure_moderator(moderator)
    with transaction.atomic():
        _lock(target)
        if target.is_hidden and target.hidden_cause == HiddenCause.FLAGS:
            count = queries.open_flags(target).count()
            moderate(target, "unhide", moderator, note or "flags dismissed", address=address)
            return count
        before = target.moderation_snapshot("")
        target.needs_review = False
        target.save(update_fields=["needs_review", "updated_at"])
        count = _resolve_flags(target, moderator, Flag.Resolution.DISMISSED)
        audit.record(
            moderator,
            "community.dismiss_flags",
            target,
            before=before,
            after=target.moderation_snapshot(""),
            note=note.strip() or f"{count} flag(s) dismissed",
            address=address,
        )
    return count


def ban(
    user: Any,
    moderator: Any,
    *,
    reason: str,
    until: datetime | None,
    address: str | None = None,
) -> Ban:
    """A moderator bans a user from posting, commenting and flagging (``until`` None: for ever)."""
    _ensure_moderator(moderator)
    text = rules.require_reason(MODERATION, reason)
    if user.pk == moderator.pk or rules.can_moderate(user):
        raise NotAllowed(
            "user",
            "cannot_ban_moderator",
            "Moderator dan petugas tidak dapat diblokir di sini.",
            "Moderators and staff cannot be banned here.",
        )
    if until is not None and until <= timezone.now():
        raise CommunityError(
            "until",
            "in_past",
            "Batas waktu blokir harus di masa depan.",
            "The end of the ban must be in the future.",
        )
    with transaction.atomic():
        made = Ban.objects.create(user=user, reason=text, until=until, created_by=moderator)
        audit.record(
            moderator,
            "community.ban",
            made,
            after={"user": user.get_username(), "until": until.isoformat() if until else None},
            note=text,
            address=address,
        )
    return made


def lift_ban(ban_row: Ban, moderator: Any, *, address: str | None = None) -> Ban:
    """A moderator ends a ban before its time."""
    _ensure_moderator(moderator)
    if ban_row.lifted_at is not None:
        return ban_row
    with transaction.atomic():
        ban_row.lifted_at = timezone.now()
        ban_row.lifted_by = moderator
        ban_row.save(update_fields=["lifted_at", "lifted_by"])
        audit.record(
            moderator,
            "community.unban",
            ban_row,
            before={"until": ban_row.until.isoformat() if ban_row.until else None},
            after={"lifted_at": ban_row.lifted_at.isoformat()},
            address=address,
        )
    return ban_row
