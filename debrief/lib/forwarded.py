"""Believe a reverse proxy, and nobody else, about who the visitor is: a WSGI wrapper.

waitress (``manage.py serve``) does this itself. gunicorn only sets the URL scheme, and only
from addresses it trusts; the visitor's own address stays the proxy's. Sign-in limits and the
security activity read ``REMOTE_ADDR``, so behind nginx every visitor would share one address
and ten wrong passwords from anyone would pause sign-in for everyone. This wrapper gives the
gunicorn workers waitress's rule: from ``trusted`` only, ``X-Forwarded-For`` (the entry
``count`` places from the right, which that proxy wrote) becomes ``REMOTE_ADDR`` and
``X-Forwarded-Proto`` the scheme; from anyone else both headers are removed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
WSGIApp = Callable[[Environ, Callable[..., Any]], Iterable[bytes]]

HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def visitor(environ: Environ, trusted: str, count: int = 1) -> Environ:
    """``environ`` as the application should see it (changed in place, and returned)."""
    if not trusted or _address(environ.get("REMOTE_ADDR", "")) != _address(trusted):
        for name in HEADERS:
            environ.pop(name, None)
        return environ
    hops = [hop for hop in environ.pop("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) >= count:
        client = _address(hops[-count])
        if client is not None:
            environ["REMOTE_ADDR"] = client
    scheme = environ.pop("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
    if scheme in ("http", "https"):
        environ["wsgi.url_scheme"] = scheme
    return environ


def behind(application: WSGIApp, trusted: str, count: int = 1) -> WSGIApp:
    """``application`` seeing each request through ``visitor``."""

    def wrapped(environ: Environ, start_response: Callable[..., Any]) -> Iterable[bytes]:
        return application(visitor(environ, trusted, count), start_response)

    return wrapped
