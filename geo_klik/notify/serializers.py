"""What the reporter may send about their notifications: contact details, language, channels.

Every field is optional and checked in the API's bilingual error shape (``lib.checks``). An
absent field leaves the stored value as it is; null or "" clears it (the view tells them apart).
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

from geo_klik.lib import checks
from geo_klik.notify import subscriptions
from geo_klik.reports import submission

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


class NotifySerializer(checks.CheckedSerializer):
    """The reporter's notification settings for one report (all optional)."""

    email = submission.Email(max_length=submission.MAX_EMAIL, allow_blank=True)
    phone = Phone(max_length=submission.MAX_PHONE, allow_blank=True)
    # https to a public host only, real P-256 keys (a push endpoint is a request we make).
    push_subscription = subscriptions.Subscription()
    language = Language()
    channels = Channels()
