"""The moderation rules: auto-hide after 3 distinct flags, who counts, unhide, dismiss, hide."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from geo_klik.accounts.models import AuditLog
from geo_klik.community import actions, queries
from geo_klik.community.models import Comment, Flag, HiddenCause, Post, Status
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate
from tests.community.conftest import MakePost, People


@pytest.fixture
def post(people: People, make_post: MakePost) -> Post:
    return make_post(people.alice, title="Jual obat kuat")


def flag_by(target: Post | Comment, *users) -> None:
    for user in users:
        actions.flag(target, user, reason=Flag.Reason.SPAM)


def test_it_hides_a_post_flagged_by_three_distinct_users_pending_review(
    people: People, post: Post
) -> None:
    flag_by(post, people.bob, people.carol)
    post.refresh_from_db()
    assert post.status == Status.VISIBLE
    assert post in queries.moderation_queue_posts()  # flagged, still visible
    flag_by(post, people.dave)
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and post.hidden_cause == HiddenCause.FLAGS
    assert post.needs_review
    assert list(queries.moderation_queue_posts()) == [post]
    entry = AuditLog.objects.get(action="community.auto_hide")
    assert entry.object_id == str(post.pk) and entry.actor is None


def test_it_refuses_a_second_flag_by_the_same_user(people: People, post: Post) -> None:
    flag_by(post, people.bob)
    with pytest.raises(actions.CommunityError) as refused:
        flag_by(post, people.bob)
    assert refused.value.code == "already_flagged" and refused.value.status_code == 409
    assert Flag.objects.count() == 1


def test_it_does_not_count_the_authors_own_flag(people: People, post: Post) -> None:
    flag_by(post, people.alice, people.bob, people.carol)
    post.refresh_from_db()
    assert post.status == Status.VISIBLE
    assert queries.counting_flags(post) == 2


def test_it_does_not_count_flags_of_banned_users(people: People, post: Post) -> None:
    flag_by(post, people.bob, people.carol)
    actions.ban(people.carol, people.moderator, reason="spam flags", until=None)
    with pytest.raises(actions.Banned):
        flag_by(post, people.carol)  # banned users cannot flag at all
    flag_by(post, people.dave)
    post.refresh_from_db()
    assert post.status == Status.VISIBLE  # bob + dave count, carol (banned now) does not
    assert queries.counting_flags(post) == 2


def test_it_is_not_hidden_again_by_the_same_flags_after_a_moderator_shows_it(
    people: People, post: Post, django_user_model
) -> None:
    flag_by(post, people.bob, people.carol, people.dave)
    moderate(post, "unhide", people.moderator, "bukan spam")
    post.refresh_from_db()
    assert post.status == Status.VISIBLE and not post.needs_review
    assert queries.counting_flags(post) == 0
    assert post not in queries.moderation_queue_posts()
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"dismissed"}
    # Three new flaggers would hide it again; one more does not.
    eve = django_user_model.objects.create_user("eve")
    flag_by(post, eve)
    post.refresh_from_db()
    assert post.status == Status.VISIBLE
    assert AuditLog.objects.filter(action="community.unhide", actor=people.moderator).exists()


def test_it_auto_hides_a_comment_too(people: People, post: Post) -> None:
    comment = actions.add_comment(post, people.bob, "Beli di sini!")
    flag_by(comment, people.alice, people.carol, people.dave)
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN and comment.needs_review
    assert list(queries.moderation_queue_comments()) == [comment]


def test_it_hides_with_a_reason_and_upholds_the_flags(people: People, post: Post) -> None:
    flag_by(post, people.bob)
    with pytest.raises(actions.CommunityError) as refused:
        moderate(post, "hide", people.moderator, " ")
    assert refused.value.field == "reason"
    moderate(post, "hide", people.moderator, "Iklan obat")
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and post.hidden_reason == "Iklan obat"
    assert post.hidden_by == people.moderator and post.hidden_at is not None
    assert Flag.objects.get().resolution == "upheld"
    entry = AuditLog.objects.get(action="community.hide")
    assert entry.note == "Iklan obat" and entry.before["status"] == "visible"


def test_it_dismisses_flags_and_shows_an_auto_hidden_post_again(people: People, post: Post) -> None:
    flag_by(post, people.bob, people.carol, people.dave)
    actions.dismiss_flags(post, people.moderator)
    post.refresh_from_db()
    assert post.status == Status.VISIBLE and not post.needs_review
    assert not queries.open_flags(post).exists()


def test_it_dismisses_flags_of_a_visible_post(people: People, post: Post) -> None:
    flag_by(post, people.bob)
    assert actions.dismiss_flags(post, people.moderator) == 1
    assert post not in queries.moderation_queue_posts()
    assert AuditLog.objects.filter(action="community.dismiss_flags").count() == 1


def test_it_lets_only_moderators_moderate(people: People, post: Post) -> None:
    for user in (people.alice, people.operator):
        with pytest.raises(actions.NotAllowed):
            moderate(post, "hide", user, "x")
        with pytest.raises(actions.NotAllowed):
            actions.ban(people.bob, user, reason="x", until=None)


def test_it_shows_hidden_content_only_to_its_author_and_moderators(
    people: People, post: Post
) -> None:
    comment = actions.add_comment(post, people.bob, "Komentar")
    moderate(comment, "hide", people.moderator, "kasar")
    moderate(post, "hide", people.moderator, "Iklan obat")
    url = f"/api/community/posts/{post.pk}/"
    assert APIClient().get(url).status_code == 404
    assert people.api(people.carol).get(url).status_code == 404
    mine = people.api(people.alice).get(url).json()
    assert mine["status"] == "hidden"
    assert mine["hidden"] == {
        "cause": "moderator",
        "reason": "Iklan obat",
        "at": mine["hidden"]["at"],
        "needs_review": False,
    }
    assert mine["comments"] == []  # bob's hidden comment: not alice's
    moderator_view = people.api(people.moderator).get(url).json()
    assert [c["hidden"]["reason"] for c in moderator_view["comments"]] == ["kasar"]
    moderate(post, "unhide", people.moderator)
    bobs = people.api(people.bob).get(url).json()["comments"]
    assert [c["status"] for c in bobs] == ["hidden"]  # bob sees his own hidden comment
    assert people.api(people.carol).get(url).json()["comments"] == []


def test_it_runs_the_moderation_api(people: People, post: Post) -> None:
    base = "/api/community/moderation/posts"
    refused = people.api(people.alice).post(f"{base}/{post.pk}/hide/", {"reason": "x"})
    assert refused.status_code == 403 and refused.json()["errors"][0]["message_en"]
    assert APIClient().post(f"{base}/{post.pk}/hide/").status_code == 401
    no_reason = people.api(people.moderator).post(f"{base}/{post.pk}/hide/", {})
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    hidden = people.api(people.moderator).post(f"{base}/{post.pk}/hide/", {"reason": "spam"})
    assert hidden.status_code == 200 and hidden.json()["status"] == "hidden"
    flag_by(post, people.bob)  # flagging a hidden post: still possible via the action
    queue = people.api(people.moderator).get("/api/community/moderation/").json()
    assert queue["posts"][0]["flags"][0]["reporter"] == "bob"
    shown = people.api(people.moderator).post(f"{base}/{post.pk}/unhide/", {})
    assert shown.json()["status"] == "visible"
    assert people.api(people.moderator).post(f"{base}/{post.pk}/frobnicate/").status_code == 404


def test_it_flags_through_the_api(people: People, post: Post) -> None:
    url = f"/api/community/posts/{post.pk}/flag/"
    assert APIClient().post(url, {"reason": "spam"}).status_code == 401
    bad = people.api(people.bob).post(url, {"reason": "boring"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "reason"
    for user in (people.bob, people.carol, people.dave):
        answer = people.api(user).post(url, {"reason": "spam", "note": "iklan"}, format="json")
        assert answer.status_code == 201
    again = people.api(people.bob).post(url, {"reason": "spam"})
    assert again.status_code in (404, 409)  # hidden now: not even visible to bob
    comment = actions.add_comment(
        Post.objects.create(author=people.bob, title="t", body="b"), people.alice, "hai"
    )
    answer = people.api(people.carol).post(
        f"/api/community/comments/{comment.pk}/flag/", {"reason": "abuse"}
    )
    assert answer.status_code == 201


def test_it_refuses_the_author_unhiding_their_own_post_and_verbs_posts_do_not_have(
    people: People, post: Post
) -> None:
    moderate(post, "hide", people.moderator, "Iklan obat")
    entries = AuditLog.objects.count()
    for user in (people.alice, people.bob, None):
        with pytest.raises(actions.NotAllowed) as refused:
            moderate(post, "unhide", user)
        assert refused.value.code == "permission_denied" and refused.value.status_code == 403
    for verb in ("approve", "reject", "dismiss-flags", "delete"):
        with pytest.raises(rules.Refused) as unknown:
            moderate(post, verb, people.moderator, "x")
        assert unknown.value.status_code == 404
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and post.hidden_by == people.moderator
    assert AuditLog.objects.count() == entries


def test_it_hides_a_hidden_post_again_to_uphold_an_automatic_hide(
    people: People, post: Post
) -> None:
    flag_by(post, people.bob, people.carol, people.dave)
    post.refresh_from_db()
    assert post.hidden_cause == HiddenCause.FLAGS

    moderate(post, "hide", people.moderator, "Iklan obat")

    post.refresh_from_db()
    assert post.hidden_cause == HiddenCause.MODERATOR and not post.needs_review
    assert not queries.open_flags(post).exists()
    entry = AuditLog.objects.get(action="community.hide")
    assert entry.before["hidden_cause"] == "flags" and entry.after["hidden_cause"] == "moderator"
