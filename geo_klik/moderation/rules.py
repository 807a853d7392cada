"""What a moderator may do to a model: the verbs, the states each verb leaves from, the refusals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from geo_klik.accounts import roles
from geo_klik.lib import errors

Problem = errors.Problem

VERBS = ("approve", "reject", "hide", "unhide")


class Refused(Exception):
    """The action is not allowed or its input is invalid, for the listed bilingual reasons."""

    status_code = 400

    def __init__(self, problems: list[Problem], *, status_code: int | None = None) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems
        if status_code is not None:
            self.status_code = status_code
        first = problems[0] if problems else Problem(None, "invalid", "", "")
        self.field = first.field
        self.code = first.code
        self.message_id = first.message
        self.message_en = first.message_en

    @classmethod
    def from_problem(cls, problem: Problem, status_code: int) -> Refused:
        """The refusal of one problem (a subclass with another constructor overrides this)."""
        return cls([problem], status_code=status_code)

    def message(self, language: str) -> str:
        """The first problem in the reader's language (``en...`` or Indonesian)."""
        return self.message_en if language.startswith("en") else self.message_id


@dataclass(frozen=True)
class Refusal:
    """One refusal a policy can give: the problem and the HTTP status it maps to."""

    problem: Problem
    status_code: int
    # The exception raised: an app may keep its own subclass of Refused for its callers.
    kind: type[Refused] = Refused

    def error(self) -> Refused:
        return self.kind.from_problem(self.problem, self.status_code)


def refusal(
    field: str | None,
    code: str,
    message_id: str,
    message_en: str,
    status: int = 400,
    *,
    kind: type[Refused] = Refused,
) -> Refusal:
    return Refusal(Problem(field, code, message_id, message_en), status, kind)


def refuse(
    field: str | None, code: str, message_id: str, message_en: str, status: int = 400
) -> Refused:
    return refusal(field, code, message_id, message_en, status).error()


@dataclass(frozen=True)
class Transition:
    """A verb: the states it may leave from, the state it leads to, whether it needs a reason."""

    sources: frozenset[str]
    target: str
    # Refused when the object is in none of ``sources`` (409: someone decided first).
    wrong_state: Refusal
    reason_required: bool = False


@dataclass(frozen=True)
class Policy:
    """How one family of models is moderated: its verbs, refusals and audit log names."""

    audit_prefix: str
    transitions: Mapping[str, Transition]
    permission_denied: Refusal
    reason_missing: Refusal
    reason_max_length: int
    # Refused to an anonymous user before the role is checked (None: permission_denied).
    not_authenticated: Refusal | None = None

    def allows(self, verb: str) -> bool:
        return verb in self.transitions

    def transition(self, verb: str) -> Transition:
        found = self.transitions.get(verb)
        if found is None:
            raise refuse(None, "not_found", "Tindakan tidak dikenal.", "Unknown action.", 404)
        return found


def can_moderate(user: Any) -> bool:
    """The one permission check of moderation: the user holds a moderating role."""
    return roles.has_any(user, roles.MODERATING)


def require_moderator(user: Any, policy: Policy) -> None:
    """Raise the policy's refusal unless ``user`` may moderate."""
    if policy.not_authenticated is not None and not getattr(user, "is_authenticated", False):
        raise policy.not_authenticated.error()
    if not can_moderate(user):
        raise policy.permission_denied.error()


def require_reason(policy: Policy, reason: str | None) -> str:
    """The reason stripped and cut to the policy's length; refused when blank."""
    text = (reason or "").strip()
    if not text:
        raise policy.reason_missing.error()
    return text[: policy.reason_max_length]


def clean_reason(policy: Policy, transition: Transition, reason: str | None) -> str:
    """The reason of a decision: required where the verb needs one, else only stripped."""
    if transition.reason_required:
        return require_reason(policy, reason)
    return (reason or "").strip()
