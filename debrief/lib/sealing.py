"""AES-GCM sealing of short texts and keys, in a small versioned format.

A sealed text is ``v2.<key id>.<base64(nonce + ciphertext + tag)>``, in the standard base64
alphabet with its padding (which decodes in one C call, straight from the stored text). Values
written before it, ``v1.<key id>.<base64url without padding>``, open as they always did: both
formats are read forever, only ``v2`` is written. The associated data
(``aad``) is not stored: the caller rebuilds it from where the value lives (table, row, field),
so a sealed value moved to another row or column no longer opens. Nothing here falls back to
returning what it was given: a value that does not open raises ``SealError``.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "v2"  # what seal_text writes
URLSAFE_FORMAT = "v1"  # written until 2026-12; still read
FORMATS = (URLSAFE_FORMAT, FORMAT)
KEY_BYTES = 32
NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value is malformed, was sealed with another key, or was moved or altered."""


class Unopened(SealError):
    """A well-formed sealed value that does not open: another key or context, or altered."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")
PADDING = (b"", b"===", b"==", b"=")  # by len(text) % 4: what b64encode stripped


def b64decode(text: str) -> bytes:
    # base64.urlsafe_b64decode with the padding put back, in C calls only (it is on the path
    # of every value opened; privacy/fields.py has it inline); ValueError for text that is
    # not ASCII.
    return binascii.a2b_base64(
        text.encode("ascii").translate(FROM_URLSAFE) + PADDING[len(text) & 3]
    )


def b64encode_std(data: bytes) -> str:
    """Standard base64 with padding: the body of a ``v2`` value."""
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def seal_bytes(key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def cipher(key: bytes) -> AESGCM:
    """A key ready to open with (``open_token``): made once per key, not once per value."""
    return AESGCM(key)


def _open(aead: AESGCM, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < NONCE_BYTES + 16:
        raise Unopened("sealed value is too short")
    try:
        return aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except InvalidTag:
        raise Unopened("sealed value does not open with this key and context") from None


def open_bytes(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    return _open(AESGCM(key), sealed, aad)


def token(key_id: str, sealed: bytes) -> str:
    """The stored text of ``sealed`` (``seal_bytes``' nonce, ciphertext and tag), in ``FORMAT``."""
    if "." in key_id:
        raise ValueError("key ids cannot contain dots")
    return f"{FORMAT}.{key_id}.{b64encode_std(sealed)}"


def seal_text(key: bytes, key_id: str, text: str, aad: bytes) -> str:
    return token(key_id, seal_bytes(key, text.encode("utf-8"), aad))


def split(token: str) -> tuple[str, bytes]:
    """Split a sealed text into (key id, sealed bytes), or raise SealError."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] not in FORMATS or not parts[1]:
        raise SealError("not a sealed value in a format Debrief knows")
    try:
        if parts[0] == FORMAT:
            return parts[1], binascii.a2b_base64(parts[2], strict_mode=True)
        return parts[1], b64decode(parts[2])
    except ValueError:
        raise SealError("sealed value is not valid base64") from None


def parse(token: str) -> tuple[str, str, bytes]:
    """Split a sealed text into (format, key id, sealed bytes), or raise SealError."""
    key_id, sealed = split(token)
    return token[:2], key_id, sealed


def open_text(key: bytes, token: str, aad: bytes) -> str:
    _, sealed = split(token)
    return open_bytes(key, sealed, aad).decode("utf-8")


def open_token(token: str, ciphers: Callable[[str], AESGCM], aad: bytes) -> str:
    """Open a sealed text with the key it names, ``ciphers(key id)`` (see ``cipher``).

    The path of every value a page shows, so in as few steps as it can be: ``SealError`` if
    ``token`` is not a sealed value, ``Unopened`` (a ``SealError``) if it is one that does not
    open with that key and ``aad``; what ``ciphers`` raises for a key it does not have.
    """
    key_id, sealed = split(token)
    try:
        return _open(ciphers(key_id), sealed, aad).decode("utf-8")
    except UnicodeDecodeError:
        raise Unopened("sealed value is not text") from None
