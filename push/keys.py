"""VAPID keys (RFC 8292): the server's P-256 key pair that push services know our pushes by.

Imported by settings, so nothing here touches Django. The private key travels as base64url of its
32-byte scalar (what `manage.py push_keys` prints); the public key is derived from it, in the
uncompressed form the browser's `pushManager.subscribe({applicationServerKey})` wants.
"""

import base64
import os
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict: only the base64url alphabet, optional padding. Raises ValueError otherwise."""
    stripped = text.rstrip("=")
    if not stripped or any(c not in _ALPHABET for c in stripped) or len(stripped) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def private_key_generate() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url_encode(key.private_numbers().private_value.to_bytes(32, "big"))


def private_key_load(private_key: str) -> ec.EllipticCurvePrivateKey:
    """The key from its base64url form; ValueError with a plain message when it is not one."""
    try:
        raw = b64url_decode(private_key.strip())
    except ValueError:
        raise ValueError("WEBPUSH_VAPID_PRIVATE_KEY is not base64url text.") from None
    if len(raw) != 32:
        raise ValueError("WEBPUSH_VAPID_PRIVATE_KEY must be 32 bytes (43 base64url characters).")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def public_key_of(private_key: str) -> str:
    public = private_key_load(private_key).public_key()
    return b64url_encode(
        public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )


def development_private_key(path: Path) -> str:
    """The key kept in `path` for `make run`, made the first time. Two processes starting at once agree."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(private_key_generate() + "\n")
    for _ in range(50):
        text = path.read_text().strip()
        if text:
            private_key_load(text)
            return text
        time.sleep(0.02)  # The other process is still writing it.
    raise ValueError(f"{path} is empty: delete it and start again.")
