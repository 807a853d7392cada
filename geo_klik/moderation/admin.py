"""Admin actions that apply one moderation verb to each selected row through ``moderate``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from geo_klik.moderation.actions import moderate
from geo_klik.moderation.rules import Refused

AdminAction = Callable[[Any, HttpRequest, QuerySet[Any]], None]


def decide_each(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    rows: QuerySet[Any],
    verb: str,
    *,
    reason: str = "",
) -> None:
    """Apply ``verb`` to each selected row; say which were refused and why."""
    done = 0
    for row in rows:
        try:
            moderate(row, verb, request.user, reason)
        except Refused as refused:
            reasons = "; ".join(f"{p.message} / {p.message_en}" for p in refused.problems)
            modeladmin.message_user(request, f"{row}: {reasons}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{done} ✔", messages.SUCCESS)


def action(verb: str, description: str, *, reason: str = "") -> AdminAction:
    """An admin action named ``verb`` that moderates every selected row."""

    def run(modeladmin: Any, request: HttpRequest, rows: QuerySet[Any]) -> None:
        decide_each(modeladmin, request, rows, verb, reason=reason)

    run.__name__ = verb
    return admin.action(description=description)(run)
