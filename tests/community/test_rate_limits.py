"""At most 5 posts and 30 comments per user per hour, with a clear message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from geo_klik.community import actions
from geo_klik.community.models import Comment, Post
from tests.community.conftest import MakePost, People


def test_it_allows_five_posts_an_hour(people: People, make_post: MakePost) -> None:
    for n in range(actions.POSTS_PER_HOUR):
        make_post(people.alice, title=f"Pos {n}")
    with pytest.raises(actions.RateLimited) as refused:
        make_post(people.alice, title="Keenam")
    assert refused.value.status_code == 429
    assert "5 pos dalam satu jam" in refused.value.message_id
    assert "5 posts in the last hour" in refused.value.message_en
    make_post(people.bob)  # others are not affected


def test_it_counts_deleted_posts_and_forgets_after_an_hour(
    people: People, make_post: MakePost
) -> None:
    posts = [make_post(people.alice, title=f"Pos {n}") for n in range(actions.POSTS_PER_HOUR)]
    actions.delete_post(posts[0], people.alice)
    with pytest.raises(actions.RateLimited):
        make_post(people.alice)
    Post.objects.filter(pk=posts[0].pk).update(created_at=timezone.now() - timedelta(minutes=61))
    assert make_post(people.alice).pk


def test_it_allows_thirty_comments_an_hour(people: People, make_post: MakePost) -> None:
    post = make_post(people.bob)
    Comment.objects.bulk_create(
        Comment(post=post, author=people.alice, body=f"k{n}")
        for n in range(actions.COMMENTS_PER_HOUR - 1)
    )
    actions.add_comment(post, people.alice, "ke-30")
    with pytest.raises(actions.RateLimited) as refused:
        actions.add_comment(post, people.alice, "ke-31")
    assert "30 comments" in refused.value.message_en


def test_it_answers_429_from_the_api(people: People, make_post: MakePost) -> None:
    for n in range(actions.POSTS_PER_HOUR):
        make_post(people.alice, title=f"Pos {n}")
    answer = people.api(people.alice).post(
        "/api/community/posts/", {"title": "x", "body": "y"}, format="json"
    )
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["code"] == "rate_limited"
