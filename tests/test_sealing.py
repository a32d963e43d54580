"""The at-rest format: round trips, and every kind of tampering is an error, never plaintext."""

from __future__ import annotations

import pytest

from debrief.lib.sealing import SealError, new_key, open_text, parse, seal_text


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
