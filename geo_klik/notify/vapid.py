"""The server's VAPID key pair (RFC 8292): created once, atomically, kept in NOTIFY_VAPID_DIR.

Push services bind every subscription to the public key the page subscribed with, so the key
pair must outlive restarts and be the same in every web and worker process: a new pair
silently orphans every subscription made with the old one. It is therefore created only when
missing, by whichever process needs it first (the web process, to hand the public key to a
page, or a worker about to send), and never overwritten.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02

PRIVATE_KEY_FILE = "private_key.pem"


class InsecureKeyFile(Exception):
    """The private key file can be read by other users of the machine."""


@dataclass(frozen=True)
class KeyPair:
    """The private key (PEM, PKCS#8) and the public key as a page's pushManager wants it."""

    private_pem: bytes
    public_key: str  # base64url of the uncompressed P-256 point, no padding (applicationServerKey)

    def signer(self) -> Vapid02:
        """What pywebpush signs the VAPID header with."""
        return Vapid02.from_pem(self.private_pem)


_loaded: dict[Path, KeyPair] = {}


def key_pair(*, directory: Path | None = None) -> KeyPair:
    """The key pair in ``directory`` (NOTIFY_VAPID_DIR), created there if it is missing."""
    directory = Path(directory or settings.NOTIFY_VAPID_DIR)
    pair = _loaded.get(directory)
    if pair is None:
        pair = _loaded[directory] = _load_or_create(directory)
    return pair


def public_key() -> str:
    """The applicationServerKey the pages subscribe with."""
    return key_pair().public_key


def _load_or_create(directory: Path) -> KeyPair:
    path = directory / PRIVATE_KEY_FILE
    if not path.exists():
        _create(path)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureKeyFile(
            f"{path} is readable by other users (mode {stat.filemode(mode)}): chmod 600 it"
        )
    pem = path.read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, ec.EllipticCurvePrivateKey) or private.curve.name != "secp256r1":
        raise ValueError(f"{path} is not a P-256 private key")
    return KeyPair(private_pem=pem, public_key=_public_b64(private))


def _create(path: Path) -> None:
    """Write a new key to a private temporary file, then link it into place.

    ``os.link`` fails when the name exists, so when two processes start at once exactly one key
    is kept, and a reader never sees a half-written file.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        # FileExistsError: another process created it first, and theirs is the key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _public_b64(private: ec.EllipticCurvePrivateKey) -> str:
    raw = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
