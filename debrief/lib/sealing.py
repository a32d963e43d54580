"""AES-GCM sealing of short texts and keys, in a small versioned format.

A sealed text is ``v2.<key id>.<base64(nonce + ciphertext + tag)>``, in the standard base64
alphabet with its padding (which decodes in one C call, straight from the stored text). Values
written before it, ``v1.<key id>.<base64url without padding>``, open as they always did.

A private text column (``privacy/fields.py``) holds ``v3``: the same in bytes, with nothing to
decode, ``03 | key id (16 bytes, the owner's code) | nonce | ciphertext + tag``
(``seal_binary``); its text spelling, ``v3.<key id hex>.<base64>`` (``text_form``), is how a
backup writes it. Every format is read forever.

The associated data (``aad``) is not stored: the caller rebuilds it from where the value lives
(table, row, field), so a sealed value moved to another row or column no longer opens. Nothing
here falls back to returning what it was given: a value that does not open raises
``SealError``.
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
BINARY = 3  # the first byte of a v3 value (``seal_binary``)
BINARY_FORMAT = "v3"  # its text spelling (``text_form``)
KEY_ID_BYTES = 16
BINARY_HEAD = 1 + KEY_ID_BYTES  # the format's byte and the key id: what names the key
BINARY_NONCE_END = BINARY_HEAD + NONCE_BYTES


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


def seal_binary(key: bytes, key_id: bytes, text: str, aad: bytes) -> bytes:
    """``text`` sealed as a ``v3`` value: ``03 | key_id | nonce | ciphertext + tag``."""
    if len(key_id) != KEY_ID_BYTES:
        raise ValueError(f"a v3 key id is {KEY_ID_BYTES} bytes")
    return bytes((BINARY,)) + key_id + seal_bytes(key, text.encode("utf-8"), aad)


def split_binary(value: bytes) -> tuple[str, bytes]:
    """``split`` for a ``v3`` value: (key id in hex, sealed bytes), or raise SealError."""
    if len(value) < BINARY_NONCE_END + 16 or value[0] != BINARY:
        raise SealError("not a sealed value in a format Debrief knows")
    return value[1:BINARY_HEAD].hex(), value[BINARY_HEAD:]


def text_form(value: bytes) -> str:
    """A ``v3`` value spelt as text, ``v3.<key id hex>.<base64>`` (what a backup writes).

    Exactly what is stored, even a damaged value: ``from_text_form`` gives the same bytes back.
    """
    if value[:1] != bytes((BINARY,)):
        raise SealError("not a sealed value in a format Debrief knows")
    return f"{BINARY_FORMAT}.{value[1:BINARY_HEAD].hex()}.{b64encode_std(value[BINARY_HEAD:])}"


def from_text_form(text: str) -> bytes:
    """The bytes ``text_form`` spelt, or raise SealError."""
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != BINARY_FORMAT:
        raise SealError("not a sealed value in a format Debrief knows")
    try:
        return (
            bytes((BINARY,))
            + bytes.fromhex(parts[1])
            + binascii.a2b_base64(parts[2], strict_mode=True)
        )
    except ValueError:
        raise SealError("sealed value is not valid hex and base64") from None


def parse(token: str) -> tuple[str, str, bytes]:
    """Split a sealed text into (format, key id, sealed bytes), or raise SealError."""
    key_id, sealed = split(token)
    return token[:2], key_id, sealed


def open_text(key: bytes, token: str, aad: bytes) -> str:
    _, sealed = split(token)
    return open_bytes(key, sealed, aad).decode("utf-8")


def open_token(token: str | bytes, ciphers: Callable[[str], AESGCM], aad: bytes) -> str:
    """Open a sealed text (``v3`` bytes, or a ``v1``/``v2`` text) with the key it names,
    ``ciphers(key id)`` (see ``cipher``).

    ``SealError`` if ``token`` is not a sealed value, ``Unopened`` (a ``SealError``) if it is
    one that does not open with that key and ``aad``; what ``ciphers`` raises for a key it does
    not have.
    """
    key_id, sealed = split_binary(token) if isinstance(token, bytes) else split(token)
    try:
        return _open(ciphers(key_id), sealed, aad).decode("utf-8")
    except UnicodeDecodeError:
        raise Unopened("sealed value is not text") from None
