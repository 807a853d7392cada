"""The community forum: residents' posts and events, comments, abuse flags and bans.

A *post* is written by a resident (or a staff member) for one kelurahan or for the whole city
(``kelurahan`` null). It may carry a location; the kelurahan is then the one under the pin. An
*event* is a post with a start (and optional end) time and a venue.

Moderation: posts and comments are *visible* or *hidden*. Content is hidden by a moderator (with
a reason), by its author (a deleted post is a hidden one), or automatically when enough
distinct residents flag it (``actions.AUTO_HIDE_FLAGS``); an auto-hidden item is
``needs_review`` until a moderator decides. A *ban* stops a user from posting, commenting and
flagging until it expires or is lifted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo_klik.boundaries.models import Kelurahan
from geo_klik.community.errors import CommunityError, NotAllowed
from geo_klik.moderation.models import Moderatable
from geo_klik.moderation.rules import Policy, Transition, refusal

# An event without an end time counts as over this long after it starts.
EVENT_DEFAULT_DURATION = timedelta(hours=3)


def local_time_text(moment: datetime) -> str:
    """A moment as residents read it: ``25-05-2025 14:00 WIB`` (the city is in WIB)."""
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M} WIB"


class Profile(models.Model):
    """What the forum shows of an account: the display name and the home kelurahan."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_profile"
    )
    display_name = models.CharField(_("display name"), max_length=60)
    home_kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home kelurahan"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "profil warga / resident profile"
        verbose_name_plural = "profil warga / resident profiles"

    def __str__(self) -> str:
        return self.display_name


class Status(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden")


class HiddenCause(models.TextChoices):
    MODERATOR = "moderator", _("hidden by a moderator")
    AUTHOR = "author", _("deleted by its author")
    FLAGS = "flags", _("hidden automatically after reports, pending review")


EITHER = frozenset({"visible", "hidden"})
# A moderator may hide what is hidden (upholding an automatic hide) and unhide what is visible
# (closing its flags), so the state never refuses; the refusal is there for completeness.
CHANGED = refusal(
    None,
    "wrong_status",
    "Status ini sudah berubah; muat ulang halaman.",
    "The status has changed; reload the page.",
    409,
    kind=CommunityError,
)
MODERATION = Policy(
    audit_prefix="community",
    transitions={
        "hide": Transition(EITHER, "hidden", CHANGED, reason_required=True),
        "unhide": Transition(EITHER, "visible", CHANGED),
    },
    permission_denied=refusal(
        None,
        "permission_denied",
        "Hanya moderator yang dapat melakukan ini.",
        "Only a moderator can do this.",
        403,
        kind=NotAllowed,
    ),
    reason_missing=refusal(
        "reason",
        "required",
        "Tulis alasannya; penulis akan melihatnya.",
        "Write the reason; the author will see it.",
        kind=CommunityError,
    ),
    reason_max_length=1000,
)


class Moderated(Moderatable):
    """Fields shared by posts and comments: visibility and who hid it, when and why."""

    moderation = MODERATION

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("text"), max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    hidden_cause = models.CharField(max_length=10, choices=HiddenCause.choices, blank=True)
    hidden_reason = models.TextField(max_length=1000, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Auto-hidden by flags (or flagged while visible) and not yet decided by a moderator.
    needs_review = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.status == Status.HIDDEN

    def moderation_snapshot(self, verb: str) -> dict[str, Any]:
        return {
            "status": self.status,
            "hidden_cause": self.hidden_cause,
            "hidden_reason": self.hidden_reason,
            "needs_review": self.needs_review,
        }

    def record_review(self, verb: str, by: Any, reason: str, now: datetime) -> None:
        hiding = verb == "hide"
        self.hidden_cause = HiddenCause.MODERATOR if hiding else ""
        self.hidden_reason = reason
        self.hidden_by = by if hiding else None
        self.hidden_at = now if hiding else None
        self.needs_review = False

    def after_moderation(self, verb: str, by: Any, now: datetime) -> None:
        """A decision closes the open flags: upheld by hiding, dismissed by unhiding."""
        upheld = verb == "hide"
        self.open_flags().update(
            resolved_at=now,
            resolved_by=by,
            resolution=Flag.Resolution.UPHELD if upheld else Flag.Resolution.DISMISSED,
        )

    def moderation_audit(self, verb: str, before: dict[str, Any], note: str) -> dict[str, Any]:
        return {"before": before, "after": self.moderation_snapshot(verb), "note": note}

    def open_flags(self) -> models.QuerySet[Flag]:
        """The flags on this post or comment that no moderator has decided yet."""
        field = self._meta.model_name or ""
        return Flag.objects.filter(**{field: self}, resolved_at__isnull=True)


class Post(Moderated):
    """A community post or event, for one kelurahan or the whole city."""

    class Kind(models.TextChoices):
        POST = "post", _("post")
        EVENT = "event", _("event")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POST)
    title = models.CharField(_("title"), max_length=140)
    # Null: for the whole city.
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_posts",
        verbose_name=_("kelurahan"),
    )
    location = models.PointField(srid=4326, null=True, blank=True, spatial_index=True)
    location_approximate = models.BooleanField(default=False)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    is_demo = models.BooleanField(default=False)
    # Stable key of a seeded demo row, so the seed command creates only what is missing.
    demo_key = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = "pos komunitas / community post"
        verbose_name_plural = "pos komunitas / community posts"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="event") | Q(starts_at__isnull=False),
                name="community_event_has_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="community_event_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["demo_key"], condition=~Q(demo_key=""), name="community_post_demo_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_event(self) -> bool:
        return self.kind == self.Kind.EVENT

    @property
    def is_city_wide(self) -> bool:
        return self.kelurahan_id is None

    @property
    def over_at(self) -> datetime | None:
        """When an event is over (its end, or its start plus the default duration)."""
        if self.starts_at is None:
            return None
        return self.ends_at or self.starts_at + EVENT_DEFAULT_DURATION

    @property
    def has_ended(self) -> bool:
        over = self.over_at
        return over is not None and over < timezone.now()


class Comment(Moderated):
    """A reply under a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")

    class Meta:
        verbose_name = "komentar / comment"
        verbose_name_plural = "komentar / comments"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Flag(models.Model):
    """A logged-in user's abuse report on a post or a comment; one per user per target.

    A flag is *open* until a moderator decides on its target (hide, unhide or dismiss), which
    resolves every open flag of that target at once.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        ABUSE = "abuse", _("abuse or harassment")
        HATE = "hate", _("hate speech")
        PERSONAL_DATA = "personal_data", _("personal data of someone")
        FALSE_INFORMATION = "false_information", _("false information")
        OTHER = "other", _("other")

    class Resolution(models.TextChoices):
        DISMISSED = "dismissed", _("dismissed")
        UPHELD = "upheld", _("upheld (content hidden)")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)

    class Meta:
        verbose_name = "laporan konten / content flag"
        verbose_name_plural = "laporan konten / content flags"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="community_flag_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(post__isnull=False),
                name="community_flag_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="community_flag_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        target = f"post {self.post_id}" if self.post_id else f"comment {self.comment_id}"
        return f"{self.reason} on {target}"

    @property
    def target(self) -> Post | Comment:
        if self.post is not None:
            return self.post
        if self.comment is None:  # the check constraint says this cannot happen
            raise ValueError(f"flag {self.pk} has no target")
        return self.comment


class Ban(models.Model):
    """A user may not post, comment or flag until ``until`` (null: permanently) or lifted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_bans"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "blokir / ban"
        verbose_name_plural = "blokir / bans"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} until {self.until or 'forever'}"

    @property
    def is_active(self) -> bool:
        if self.lifted_at is not None:
            return False
        return self.until is None or self.until > timezone.now()

    @property
    def is_permanent(self) -> bool:
        return self.until is None
