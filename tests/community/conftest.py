"""Forum fixtures on the tiny city: residents, a moderator, and a helper that writes posts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from geo_klik.accounts import actions as account_actions
from geo_klik.accounts import roles
from geo_klik.community import actions
from geo_klik.community.models import Post, Profile
from tests.conftest import TinyCity

PASSWORD = "correct horse battery staple"
# Points in the tiny city (lat, lon): Barat Utara, Timur Utara; and one outside it.
BARAT = (-0.005, 100.005)
TIMUR = (-0.005, 100.015)
OUTSIDE = (-0.5, 100.5)


@dataclass
class People:
    alice: User  # a resident with a profile
    bob: User
    carol: User
    dave: User
    moderator: User
    operator: User  # staff, not a moderator

    def api(self, user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


@pytest.fixture
def people(settings: Any, db: None) -> People:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def resident(name: str) -> User:
        user = User.objects.create_user(name, password=PASSWORD)
        Profile.objects.create(user=user, display_name=name.title())
        return user

    def staff(name: str, role: str) -> User:
        made = account_actions.create_staff_user(name, role=role, password=PASSWORD)
        return User.objects.get(pk=made.pk)

    return People(
        alice=resident("alice"),
        bob=resident("bob"),
        carol=resident("carol"),
        dave=resident("dave"),
        moderator=staff("mod", roles.MODERATOR),
        operator=staff("op", roles.OPERATOR),
    )


MakePost = Callable[..., Post]


@pytest.fixture
def make_post(tiny_city: TinyCity) -> MakePost:
    """Write a post through the action: ``make_post(author, title=..., at=BARAT, kind=...)``."""

    def make(
        author: User,
        *,
        title: str = "Gotong royong",
        body: str = "Bersihkan selokan",
        at: tuple[float, float] | None = BARAT,
        kind: str = Post.Kind.POST,
        kelurahan: Any = None,
        starts_in: timedelta = timedelta(days=1),
        ends_after: timedelta | None = None,
    ) -> Post:
        starts = timezone.now() + starts_in if kind == Post.Kind.EVENT else None
        fields = actions.PostFields(
            kind=kind,
            title=title,
            body=body,
            kelurahan=kelurahan,
            lat=at[0] if at else None,
            lon=at[1] if at else None,
            starts_at=starts,
            ends_at=starts + ends_after if starts and ends_after else None,
        )
        return actions.create_post(author, fields)

    return make
