"""debrief/lib/forwarded.py: the proxy's word about the visitor, and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest

from debrief.lib.forwarded import behind, visitor

PROXY = "127.0.0.1"


def _environ(peer: str, **headers: str) -> dict[str, Any]:
    return {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", **headers}


def test_the_trusted_proxy_gives_the_visitors_address_and_scheme() -> None:
    seen = visitor(
        _environ(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"), PROXY
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.9"
    assert seen["wsgi.url_scheme"] == "https"
    assert "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_X_FORWARDED_PROTO" not in seen


def test_an_address_the_visitor_forged_before_the_proxy_is_not_believed() -> None:
    # nginx's $proxy_add_x_forwarded_for appends: the proxy's own entry is the last one.
    seen = visitor(_environ(PROXY, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9"), PROXY)
    assert seen["REMOTE_ADDR"] == "203.0.113.9"


def test_two_proxies_in_a_row_count_from_the_right() -> None:
    seen = visitor(
        _environ(PROXY, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7, 10.0.0.2"), PROXY, 2
    )
    assert seen["REMOTE_ADDR"] == "198.51.100.7"


@pytest.mark.parametrize("trusted", ["", "127.0.0.2"])
def test_anyone_else_loses_the_headers_and_keeps_their_own_address(trusted: str) -> None:
    seen = visitor(
        _environ(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"),
        trusted,
    )
    assert seen["REMOTE_ADDR"] == PROXY
    assert seen["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_X_FORWARDED_PROTO" not in seen


@pytest.mark.parametrize(
    "forwarded, proto", [("not an address", "https"), ("", "gopher"), (",,", "")]
)
def test_nonsense_from_the_proxy_changes_nothing(forwarded: str, proto: str) -> None:
    seen = visitor(
        _environ(PROXY, HTTP_X_FORWARDED_FOR=forwarded, HTTP_X_FORWARDED_PROTO=proto), PROXY
    )
    assert seen["REMOTE_ADDR"] == PROXY
    assert seen["wsgi.url_scheme"] == ("https" if proto == "https" else "http")


def test_the_wrapped_application_sees_the_visitor() -> None:
    calls: list[str] = []

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        calls.append(environ["REMOTE_ADDR"])
        return [b""]

    behind(application, PROXY)(_environ(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"), print)
    assert calls == ["203.0.113.9"]
