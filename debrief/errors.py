"""Error pages that need more than a template: what happened and what to do."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A form over DATA_UPLOAD_MAX_* gets a page in our layout (413), not a bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        ctx = {
            "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            "max_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
        }
        return render(request, "413.html", ctx, status=413)
    return defaults.bad_request(request, exception)
