"""The "near me" and text search of the two community map layers (``geo_klik.lib.layers``)."""

from __future__ import annotations

from django.urls import reverse

from geo_klik.community import queries, serializers
from geo_klik.community.models import Post
from geo_klik.lib import geo, layers


def _hits(query: layers.SearchQuery, kind: str, layer_key: str) -> list[layers.SearchHit]:
    text = query.text.strip()
    if not text and not query.near:
        return []
    posts = queries.search_posts(
        text=text,
        kind=kind,
        lat=query.lat,
        lon=query.lon,
        radius_m=query.radius_m,
        limit=query.limit,
    )
    return [_hit(post, layer_key, text) for post in posts]


def _hit(post: Post, layer_key: str, text: str) -> layers.SearchHit:
    lat, lon = geo.lat_lon(post.location) if post.location is not None else (None, None)
    distance = getattr(post, "distance", None)
    if not text:
        score = 0.0
    elif text.lower() in post.title.lower():
        score = 1.0
    else:
        score = 0.5
    return layers.SearchHit(
        area=layers.COMMUNITY,
        layer=layer_key,
        title=post.title,
        subtitle=serializers.subtitle(post),
        url=reverse("community-post", args=[post.pk]),
        lat=lat,
        lon=lon,
        distance_m=distance.m if distance is not None else None,
        score=score,
    )


def search_posts(query: layers.SearchQuery) -> list[layers.SearchHit]:
    return _hits(query, Post.Kind.POST, serializers.POSTS_LAYER)


def search_events(query: layers.SearchQuery) -> list[layers.SearchHit]:
    return _hits(query, Post.Kind.EVENT, serializers.EVENTS_LAYER)
