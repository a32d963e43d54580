"""The at-rest format: round trips, and every kind of tampering is an error, never plaintext."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from debrief.lib.sealing import (
    BINARY,
    SealError,
    b64encode,
    from_text_form,
    new_key,
    open_text,
    open_token,
    parse,
    seal_binary,
    seal_bytes,
    seal_text,
    split,
    text_form,
)
from debrief.privacy.fields import stored_bytes


def test_round_trip_and_fresh_nonce_every_time() -> None:
    key = new_key()
    a = seal_text(key, "k1", "Priya wants to lead without losing friends", b"coachee|1|name")
    b = seal_text(key, "k1", "Priya wants to lead without losing friends", b"coachee|1|name")
    assert a != b
    assert a.startswith("v2.k1.")
    assert "Priya" not in a
    assert open_text(key, a, b"coachee|1|name") == open_text(key, b, b"coachee|1|name")


def test_moving_a_value_to_another_row_or_field_fails() -> None:
    key = new_key()
    token = seal_text(key, "k1", "secret", b"answer|7|text")
    for aad in (b"answer|8|text", b"coachee|7|text", b"answer|7|name"):
        with pytest.raises(SealError):
            open_text(key, token, aad)


def test_another_key_fails() -> None:
    token = seal_text(new_key(), "k1", "secret", b"x")
    with pytest.raises(SealError):
        open_text(new_key(), token, b"x")


@pytest.mark.parametrize(
    "bad",
    [
        *("", "plain text", "v3.k1.AAAA", "v1..AAAA", "v1.k1.%%%", "v1.k1.AA"),
        *("v2..AAAA", "v2.k1.%%%", "v2.k1.AA", "v2.k1.AA-_", "v2.k1.AAAA.AAAA"),
    ],
)
def test_malformed_values_are_errors(bad: str) -> None:
    with pytest.raises(SealError):
        open_text(new_key(), bad, b"x")


def test_flipping_a_bit_is_detected() -> None:
    key = new_key()
    token = seal_text(key, "k1", "secret", b"x")
    fmt, kid, sealed = parse(token)
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    from debrief.lib.sealing import b64encode_std

    with pytest.raises(SealError):
        open_text(key, f"{fmt}.{kid}.{b64encode_std(bytes(tampered))}", b"x")


def test_values_written_in_the_first_format_still_open() -> None:
    # v1, written until 2026-12: base64url without its padding. Read forever.
    from debrief.lib.sealing import b64encode, seal_bytes

    key = new_key()
    old = f"v1.k1.{b64encode(seal_bytes(key, 'Priya’s café'.encode(), b'answer|7|text'))}"
    assert "=" not in old and parse(old)[:2] == ("v1", "k1")
    assert open_text(key, old, b"answer|7|text") == "Priya’s café"
    with pytest.raises(SealError):
        open_text(key, old, b"answer|8|text")


def test_a_v3_value_opens_and_is_spelt_as_text_and_back_exactly() -> None:
    key, code = new_key(), uuid.uuid4()
    value = seal_binary(key, code.bytes, "Priya, café", b"answer|7|text")
    assert value[:17] == bytes((BINARY,)) + code.bytes and b"Priya" not in value
    assert open_token(value, lambda name: AESGCM(key), b"answer|7|text") == "Priya, café"
    spelt = text_form(value)
    assert spelt.startswith(f"v3.{code.hex}.") and from_text_form(spelt) == value
    damaged = value[:20]  # too short to open: a backup still keeps it as it is
    assert from_text_form(text_form(damaged)) == damaged
    with pytest.raises(SealError):
        open_token(damaged, lambda name: AESGCM(key), b"answer|7|text")
    with pytest.raises(SealError):
        open_token(b"\x09" + value[1:], lambda name: AESGCM(key), b"answer|7|text")


def test_a_value_written_as_text_is_stored_as_v3_without_its_key() -> None:
    key, code = new_key(), uuid.uuid4()
    for older in (
        seal_text(key, code.hex, "Written in November", b"answer|7|text"),
        f"v1.{code.hex}.{b64encode(seal_bytes(key, b'Written in November', b'answer|7|text'))}",
    ):
        stored = stored_bytes(older)
        assert stored == bytes((BINARY,)) + code.bytes + split(older)[1]
        assert open_token(stored, lambda name: AESGCM(key), b"answer|7|text") == (
            "Written in November"
        )
    assert stored_bytes("plain text someone wrote in SQL") == b"plain text someone wrote in SQL"
    assert stored_bytes("v2.not-a-code.AAAA") == b"v2.not-a-code.AAAA"
