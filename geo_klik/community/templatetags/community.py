"""Template filters of the forum pages: who wrote something, and when an event happens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from geo_klik.community import people
from geo_klik.community.models import local_time_text

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    return people.display_name(user)


@register.filter
def role_label(user: Any) -> str:
    return people.role_label(user)


@register.filter
def wib(moment: datetime | None) -> str:
    """``{{ post.starts_at|wib }}``: 25-05-2025 19:30 WIB."""
    return local_time_text(moment) if moment else ""
