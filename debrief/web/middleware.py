"""Security headers on every response, beyond what Django's SecurityMiddleware sets."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")
Handler = Callable[[HttpRequest], HttpResponse]

# Scripts and styles come only from our own static files: no inline script, no eval.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def security_headers_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Any page may hold coachee data: never keep one in a cache. Our static files
        # (no personal data) keep their own caching headers.
        if not request.path.startswith(STATIC_PREFIX):
            response.headers["Cache-Control"] = "no-store"
        return response

    return middleware
