"""Bans: no posting, commenting or flagging while banned (until when is said); expiry, lifting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from geo_klik.accounts.models import AuditLog
from geo_klik.community import actions, queries
from geo_klik.community.models import Ban, Flag
from tests.community.conftest import MakePost, People


def test_it_stops_a_banned_user_and_says_until_when(people: People, make_post: MakePost) -> None:
    post = make_post(people.alice)
    until = timezone.now() + timedelta(days=7)
    actions.ban(people.bob, people.moderator, reason="Kata kasar", until=until)
    local = timezone.localtime(until).strftime("%d-%m-%Y %H:%M")
    with pytest.raises(actions.Banned) as refused:
        make_post(people.bob)
    assert f"sampai {local} WIB" in refused.value.message_id
    assert f"until {local} WIB" in refused.value.message_en
    assert "Kata kasar" in refused.value.message_en
    with pytest.raises(actions.Banned):
        actions.add_comment(post, people.bob, "hai")
    with pytest.raises(actions.Banned):
        actions.flag(post, people.bob, reason=Flag.Reason.SPAM)
    entry = AuditLog.objects.get(action="community.ban")
    assert entry.actor == people.moderator and entry.after["user"] == "bob"


def test_it_answers_a_banned_user_with_403_in_both_languages(
    people: People, make_post: MakePost
) -> None:
    actions.ban(people.bob, people.moderator, reason="spam", until=None)
    answer = people.api(people.bob).post(
        "/api/community/posts/", {"title": "x", "body": "y"}, format="json"
    )
    assert answer.status_code == 403
    problem = answer.json()["errors"][0]
    assert problem["code"] == "banned"
    assert "permanen" in problem["message"] and "permanently" in problem["message_en"]


def test_it_lets_a_ban_expire(people: People, make_post: MakePost) -> None:
    ban = actions.ban(
        people.bob, people.moderator, reason="sebentar", until=timezone.now() + timedelta(hours=1)
    )
    assert queries.active_ban(people.bob) == ban
    Ban.objects.filter(pk=ban.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert queries.active_ban(people.bob) is None
    assert make_post(people.bob).pk


def test_it_lifts_a_ban(people: People, make_post: MakePost) -> None:
    ban = actions.ban(people.bob, people.moderator, reason="salah orang", until=None)
    actions.lift_ban(ban, people.moderator)
    ban.refresh_from_db()
    assert not ban.is_active and ban.lifted_by == people.moderator
    assert make_post(people.bob).pk
    assert AuditLog.objects.filter(action="community.unban").count() == 1


def test_it_prefers_the_longest_ban_in_force(people: People) -> None:
    actions.ban(people.bob, people.moderator, reason="a", until=timezone.now() + timedelta(days=1))
    forever = actions.ban(people.bob, people.moderator, reason="b", until=None)
    assert queries.active_ban(people.bob) == forever


def test_it_refuses_a_ban_in_the_past_or_of_a_moderator(people: People) -> None:
    with pytest.raises(actions.CommunityError) as past:
        actions.ban(
            people.bob, people.moderator, reason="x", until=timezone.now() - timedelta(days=1)
        )
    assert past.value.field == "until"
    with pytest.raises(actions.NotAllowed):
        actions.ban(people.moderator, people.moderator, reason="x", until=None)


def test_it_bans_and_lifts_through_the_api(people: People) -> None:
    api = people.api(people.moderator)
    assert people.api(people.alice).post("/api/community/bans/", {}).status_code == 403
    unknown = api.post("/api/community/bans/", {"username": "nobody", "reason": "x"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "username"
    made = api.post(
        "/api/community/bans/",
        {"username": "bob", "reason": "spam", "until": "2099-01-01T00:00+07:00"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["active"] is True
    assert [b["username"] for b in api.get("/api/community/bans/").json()["bans"]] == ["bob"]
    lifted = api.post(f"/api/community/bans/{made.json()['id']}/lift/")
    assert lifted.status_code == 200 and lifted.json()["active"] is False
