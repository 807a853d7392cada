"""The one write of moderation: ``moderate(obj, verb, by, reason)``."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from geo_klik.accounts import audit
from geo_klik.moderation import rules
from geo_klik.moderation.models import Moderatable

M = TypeVar("M", bound=Moderatable)


def moderate(
    obj: M, verb: str, by: Any, reason: str = "", *, address: str | None = None, **options: Any
) -> M:
    """Apply a moderator's ``verb`` (approve, reject, hide, unhide) to ``obj`` and return it.

    Checks, in order: the verb exists for the model, ``by`` may moderate, a reason is given
    where the verb needs one; then, with the row locked and re-read (``obj`` is updated in
    place), that the verb may leave the current state. The decision and its audit log entry
    commit together or not at all. ``options`` go to the model's ``before_moderation`` hook
    (e.g. ``confirm_stale`` for a revision).
    """
    policy = type(obj).moderation
    transition = policy.transition(verb)
    rules.require_moderator(by, policy)
    text = rules.clean_reason(policy, transition, reason)
    with transaction.atomic():
        list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
        obj.refresh_from_db()
        if obj.status not in transition.sources:
            raise transition.wrong_state.error()
        obj.before_moderation(verb, by, options)
        before = obj.moderation_snapshot(verb)
        now = timezone.now()
        obj.status = transition.target
        obj.record_review(verb, by, text if transition.reason_required else "", now)
        obj.save()
        obj.after_moderation(verb, by, now)
        audit.record(
            by,
            f"{policy.audit_prefix}.{verb}",
            obj,
            address=address,
            **obj.moderation_audit(verb, before, text),
        )
    return obj
