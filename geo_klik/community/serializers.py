"""The JSON shapes of the community API: GeoJSON features, a post with its comments, inputs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from geo_klik.boundaries import cities
from geo_klik.community import people
from geo_klik.community.models import Comment, Flag, Post, local_time_text
from geo_klik.lib import geo, layers

# 5 decimals is about 1 m: as precise as a pin dropped on a phone.
DECIMALS = 5
POSTS_LAYER = "community_posts"
EVENTS_LAYER = "community_events"


def _time(moment: datetime | None) -> str | None:
    return serializers.DateTimeField().to_representation(moment) if moment else None


def layer_of(post: Post) -> str:
    return EVENTS_LAYER if post.is_event else POSTS_LAYER


def subtitle(post: Post) -> str:
    """One short line: the event time or the kelurahan (or the city's name)."""
    place = post.kelurahan.name if post.kelurahan else cities.served().name
    if post.is_event and post.starts_at is not None:
        return f"{local_time_text(post.starts_at)} · {post.venue or place}"
    return place


class PostFeatureSerializer(layers.FeatureSerializer):
    """A located post or event on its map layer."""

    location = layers.PointField(decimals=DECIMALS)
    kind = serializers.ReadOnlyField()
    kelurahan = serializers.SerializerMethodField()
    kelurahan_code = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    venue = serializers.ReadOnlyField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    is_demo = serializers.ReadOnlyField()

    class Meta(layers.FeatureSerializer.Meta):
        model = Post
        fields = (
            *layers.FeatureSerializer.COMMON_FIELDS,
            *("kind", "kelurahan", "kelurahan_code", "starts_at", "ends_at", "venue", "author"),
            *("created_at", "is_demo"),
        )

    def get_layer(self, post: Post) -> str:
        return layer_of(post)

    def get_subtitle(self, post: Post) -> str:
        return subtitle(post)

    def get_url(self, post: Post) -> str:
        return reverse("community-post", args=[post.pk])

    def get_kelurahan(self, post: Post) -> str:
        return post.kelurahan.name if post.kelurahan else ""

    def get_kelurahan_code(self, post: Post) -> str:
        return post.kelurahan.code_kemendagri if post.kelurahan else ""

    def get_author(self, post: Post) -> str:
        return people.display_name(post.author)


def author_json(user: Any) -> dict[str, Any]:
    return {"name": people.display_name(user), "role": people.role_label(user)}


def hidden_json(target: Post | Comment) -> dict[str, Any] | None:
    """Why a post or comment is hidden (only its author and moderators ever see it)."""
    if not target.is_hidden:
        return None
    return {
        "cause": target.hidden_cause,
        "reason": target.hidden_reason,
        "at": _time(target.hidden_at),
        "needs_review": target.needs_review,
    }


def comment_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": author_json(comment.author),
        "body": comment.body,
        "status": comment.status,
        "hidden": hidden_json(comment),
        "created_at": _time(comment.created_at),
    }


def post_json(post: Post, comments: list[Comment] | None = None) -> dict[str, Any]:
    lat_lon = geo.lat_lon(post.location) if post.location is not None else None
    data: dict[str, Any] = {
        "id": post.pk,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "author": author_json(post.author),
        "kelurahan": (
            {"name": post.kelurahan.name, "code_kemendagri": post.kelurahan.code_kemendagri}
            if post.kelurahan
            else None
        ),
        "city_wide": post.is_city_wide,
        "location": {"lat": lat_lon[0], "lon": lat_lon[1]} if lat_lon else None,
        "approximate": post.location_approximate,
        "starts_at": _time(post.starts_at),
        "ends_at": _time(post.ends_at),
        "venue": post.venue,
        "status": post.status,
        "hidden": hidden_json(post),
        "is_demo": post.is_demo,
        "url": reverse("community-post", args=[post.pk]),
        "created_at": _time(post.created_at),
        "updated_at": _time(post.updated_at),
    }
    if comments is not None:
        data["comments"] = [comment_json(c) for c in comments]
    return data


def flag_json(made: Flag) -> dict[str, Any]:
    return {"id": made.pk, "reason": made.reason, "created_at": _time(made.created_at)}


# -- request bodies (documentation; api.py parses them with bilingual errors) ------------------


class PostInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=Post.Kind.choices, default=Post.Kind.POST)
    title = serializers.CharField(max_length=140)
    body = serializers.CharField(max_length=5000)
    kelurahan = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Kemendagri code of the kelurahan; blank for the whole city. "
        "Ignored when lat/lon are given (the kelurahan under the pin is used).",
    )
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    starts_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Events.")
    ends_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Events.")
    venue = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CommentInputSerializer(serializers.Serializer[dict[str, Any]]):
    body = serializers.CharField(max_length=5000)


class FlagInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ModerationInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Required to hide; optional otherwise."
    )


class BanInputSerializer(serializers.Serializer[dict[str, Any]]):
    username = serializers.CharField(help_text="The login name (moderators see it in the queue).")
    reason = serializers.CharField()
    until = serializers.DateTimeField(required=False, allow_null=True, help_text="Null: permanent.")
