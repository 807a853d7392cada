"""The credentials of area alerts: the management key, its link token, and signed links.

* The **management key** (32 random characters) is given once to the device that subscribed
  and stored only as a SHA-256; it manages every subscription of its *Subscriber*.
* The **link token** ``<subscriber id>.<HMAC>`` is what a confirmation e-mail carries instead
  (the key itself is not kept): an HMAC of the subscriber's id and key hash, keyed by
  SECRET_KEY, so it dies with the key or with SECRET_KEY.
* **Confirmation** and **unsubscribe** links are Django signatures of one subscription's id
  (the confirmation's expires after ``CONFIRM_MAX_AGE``); whoever holds the message may act.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.core import signing
from django.utils.crypto import salted_hmac

KEY_HEADER = "X-Alerts-Key"
KEY_LENGTH = 32
MAX_CREDENTIAL = 128
LINK_SALT = "geo_klik.alerts.link_token"
CONFIRM_SALT = "geo_klik.alerts.confirm"
UNSUBSCRIBE_SALT = "geo_klik.alerts.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)
_LINK_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{43})")


def new_key() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def link_token(subscriber_id: int, key_sha256: str) -> str:
    digest = salted_hmac(LINK_SALT, f"{subscriber_id}:{key_sha256}", algorithm="sha256").digest()
    return f"{subscriber_id}." + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def parse_link_token(candidate: str) -> int | None:
    """The subscriber id a well-formed link token names (not yet checked), else None."""
    match = _LINK_TOKEN.fullmatch(candidate)
    return int(match.group(1)) if match else None


def is_link_token(subscriber_id: int, key_sha256: str, candidate: str) -> bool:
    return hmac.compare_digest(candidate, link_token(subscriber_id, key_sha256))


def confirm_token(subscription_id: int) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription_id))


def unsubscribe_token(subscription_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription_id))


def _unsigned_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


def confirmed_id(token: str) -> int | None:
    """The subscription id a confirmation token signs, if valid and not expired."""
    if not isinstance(token, str) or len(token) > MAX_CREDENTIAL:
        return None
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return _unsigned_id(value)


def unsubscribed_id(token: str) -> int | None:
    """The subscription id an unsubscribe token signs, if valid."""
    if not isinstance(token, str) or len(token) > MAX_CREDENTIAL:
        return None
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return _unsigned_id(value)
