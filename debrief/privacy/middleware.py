"""A save refused for a missing data key, as a page that says so instead of a server error.

``KeyError_``: Debrief never makes a new key over notes that exist.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)
KEY_MISSING = (
    "The key that seals this coachee's notes is missing, and Debrief will not make a new one "
    "over their notes. Ask whoever runs Debrief to put the key directory back "
    "(`python manage.py check` says what is missing), then try again."
)

Handler = Callable[[HttpRequest], HttpResponse]


def key_missing_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        return get_response(request)

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
