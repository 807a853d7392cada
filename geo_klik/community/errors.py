"""The refusals of the community forum, said in Indonesian and English, naming the field."""

from __future__ import annotations

from geo_klik.moderation.rules import Problem, Refused


class CommunityError(Refused):
    """A request the forum refuses, said in Indonesian and English, naming the field."""

    status_code = 400

    def __init__(
        self,
        field: str | None,
        code: str,
        message_id: str,
        message_en: str,
        *,
        status_code: int | None = None,
    ) -> None:
        super().__init__([Problem(field, code, message_id, message_en)], status_code=status_code)
        self.args = (f"{field}: {message_en}",)

    @classmethod
    def from_problem(cls, problem: Problem, status_code: int) -> CommunityError:
        return cls(
            problem.field,
            problem.code,
            problem.message,
            problem.message_en,
            status_code=status_code,
        )


class Banned(CommunityError):
    """The user is banned from the forum now."""

    status_code = 403


class RateLimited(CommunityError):
    """Too many posts or comments within the last hour."""

    status_code = 429


class NotAllowed(CommunityError):
    """The user may not do this to this post or comment."""

    status_code = 403
