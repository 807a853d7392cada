"""The contact a reporter may give for notifications: checked here, stored by ``notify``.

Contact details, language and channels come either with the report (the intake's optional
``notify`` object) or later from the tracking page (``notify``'s settings API). Both check them
with ``ContactSerializer``: every field optional, refused in the bilingual error shape of
``lib.checks``; an absent field leaves the stored value as it is, null or "" clears it.

Reports never imports ``notify`` (it sits above): the intake announces the contact given with a
new report through ``contact_given``, sent after the report is committed, and ``notify``
stores it. Personal data: never logged, never in a public answer.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.dispatch import Signal
from rest_framework import serializers

from geo_klik.lib import checks, errors, push_subscriptions
from geo_klik.reports.models import Report

logger = logging.getLogger(__name__)

MAX_PHONE = 30
MAX_EMAIL = 254
MAX_PUSH_JSON = 4096
# An Indonesian mobile number: 08..., 628... or +628..., 9 to 13 digits after the 8's 0/62.
MOBILE = re.compile(r"(?:\+?62|0)(8[0-9]{7,12})")
PHONE_PUNCTUATION = re.compile(r"[ ()./-]")
FIELDS = ("email", "phone", "push_subscription", "language", "channels")


class Phone(checks.Text):
    """An Indonesian mobile number, stored as +628...; "" clears it."""

    def check(self, raw: Any) -> str:
        value = super().check(raw)
        if not value:
            return ""
        match = MOBILE.fullmatch(PHONE_PUNCTUATION.sub("", value))
        if match is None:
            raise self.refuse(
                "invalid",
                "Nomor HP tidak valid: nomor seluler Indonesia, mis. 0812 3456 7890.",
                "Invalid phone: an Indonesian mobile number, e.g. 0812 3456 7890.",
            )
        return f"+62{match.group(1)}"


class Language(checks.CheckedField, serializers.ChoiceField):
    """id or en; absent or null means id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=["id", "en"], required=False, **kwargs)

    def check(self, raw: Any) -> str:
        if raw in (None, ""):
            return "id"
        if raw not in ("id", "en"):
            raise self.refuse("invalid", "language harus id atau en.", "language must be id or en.")
        return str(raw)


class Channels(checks.CheckedField, serializers.ListField):
    """Channel names (of the available ones); null: every channel the details reach."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(), required=False, allow_null=True, **kwargs)

    def check(self, raw: Any) -> list[str] | None:
        if raw is None:
            return None
        if (
            not isinstance(raw, list)
            or len(raw) > 10
            or not all(isinstance(n, str) and 0 < len(n) <= 20 and n.isascii() for n in raw)
        ):
            raise self.refuse(
                "invalid",
                'channels harus daftar nama saluran, mis. ["email"].',
                'channels must be a list of channel names, e.g. ["email"].',
            )
        return list(dict.fromkeys(raw))


class ContactSerializer(checks.CheckedSerializer):
    """The reporter's notification settings for one report (all optional)."""

    email = checks.Email(max_length=MAX_EMAIL, allow_blank=True)
    phone = Phone(max_length=MAX_PHONE, allow_blank=True)
    # https to a public host only, real P-256 keys: a push endpoint is a request we make.
    push_subscription = push_subscriptions.Subscription()
    language = Language()
    channels = Channels()


# Sent once a report made with a ``notify`` object is committed: ``report`` (the Report) and
# ``contact`` (ContactSerializer's validated data). Sent robustly: a failing receiver is logged
# and never turns an accepted report into an error answer.
contact_given = Signal()


def announce(report: Report, contact: dict[str, Any]) -> None:
    """Send ``contact_given`` for a committed report; receivers' failures are only logged."""
    for receiver, outcome in contact_given.send_robust(Report, report=report, contact=contact):
        if isinstance(outcome, Exception):
            # The kind of failure only: the contact itself never goes to a log.
            logger.error(
                "contact for report %s not stored by %s: %s",
                report.pk,
                getattr(receiver, "__qualname__", receiver),
                type(outcome).__name__,
            )


class NotifyObject(checks.CheckedField, serializers.JSONField):
    """The intake's optional ``notify`` object (JSON, or a JSON string in a multipart form)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, **kwargs)

    def check(self, raw: Any) -> dict[str, Any] | None:
        if raw in (None, ""):
            return None
        if isinstance(raw, str) and len(raw) <= MAX_PUSH_JSON * 2:
            try:
                raw = json.loads(raw)
            except ValueError:
                raw = None
        if not isinstance(raw, dict):
            raise self.refuse(
                "invalid",
                "notify harus berupa objek JSON.",
                "notify must be a JSON object.",
            )
        checked = ContactSerializer(data=raw)
        try:
            checked.is_valid(raise_exception=True)
        except errors.Invalid as invalid:
            raise errors.Invalid(
                [
                    errors.Problem(f"notify.{p.field}", p.code, p.message, p.message_en)
                    for p in invalid.problems
                ]
            ) from None
        return {k: v for k, v in checked.validated_data.items() if k in raw}
