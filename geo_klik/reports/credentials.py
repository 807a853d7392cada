"""The reporter's link token: a credential for links in notifications, in place of the secret.

The reporter's secret is kept only as a hash, so a message cannot carry it. It carries instead
an HMAC (keyed by SECRET_KEY, salted) of the report's id and that hash: whoever holds the token
may do what the secret allows on that one report, and the token dies with the secret (a new
secret, a new hash) or with SECRET_KEY. It has the secret's alphabet (URL-safe base64), so the
tracking page keeps it exactly as it keeps a secret (``#rahasia=...``).
"""

from __future__ import annotations

import base64
import hmac

from django.utils.crypto import salted_hmac

SALT = "geo_klik.reports.link_token"
# 32 bytes of HMAC-SHA256 in unpadded URL-safe base64; a secret is 32 characters, never 43.
TOKEN_LENGTH = 43


def link_token(report_id: int, secret_sha256: str) -> str:
    """The link token of a report whose reporter secret hashes to ``secret_sha256``."""
    if not secret_sha256:
        raise ValueError("a report without a reporter secret has no link token")
    digest = salted_hmac(SALT, f"{report_id}:{secret_sha256}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def is_link_token(report_id: int, secret_sha256: str, candidate: object) -> bool:
    """Whether ``candidate`` is that report's link token (constant-time comparison)."""
    if not secret_sha256 or not isinstance(candidate, str) or len(candidate) != TOKEN_LENGTH:
        return False
    return hmac.compare_digest(candidate, link_token(report_id, secret_sha256))
