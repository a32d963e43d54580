"""Security headers on every response, beyond what Django's SecurityMiddleware sets.

The same middleware turns a save refused for a missing data key (``KeyError_``: Debrief never
makes a new key over notes that exist) into a page that says so, instead of a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)
KEY_MISSING = (
    "The key that seals this coachee's notes is missing, and Debrief will not make a new one "
    "over their notes. Ask whoever runs Debrief to put the key directory back "
    "(`python manage.py check` says what is missing), then try again."
)

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

    middleware.process_exception = _key_missing  # type: ignore[attr-defined]
    return middleware


def _key_missing(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    from debrief.privacy.keystore import KeyError_

    if not isinstance(exception, KeyError_):
        return None
    logger.error("%s", exception)  # names codes and paths only
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": f"Not saved. {KEY_MISSING}"}, status=503)
    # A page of its own, without the database: the failed save may have spoilt the transaction.
    return render(request, "key_missing.html", {"message": KEY_MISSING}, status=503)
