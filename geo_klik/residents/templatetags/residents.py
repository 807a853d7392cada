"""Template filters of the residents' pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from geo_klik.accounts import roles
from geo_klik.lib import language

register = template.Library()


@register.filter
def bi(value: Mapping[str, Any] | None, prefix: str) -> str:
    """``{{ category|bi:"name" }}``: name_id in Indonesian, name_en in English."""
    if not value:
        return ""
    return str(value.get(f"{prefix}_en" if language.english() else f"{prefix}_id") or "")


@register.filter
def can_moderate(user: Any) -> bool:
    """``{% if request.user|can_moderate %}``: moderator, supervisor or admin."""
    return roles.has_any(user, roles.MODERATING)
