"""A file handed to the coach to keep: never cached, and on the security trail like every export."""

from __future__ import annotations

from django.http import HttpResponse

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.lib.http import AuthedRequest


def download(
    request: AuthedRequest, body: bytes | str, content_type: str, filename: str, what: str
) -> HttpResponse:
    """A file for the coach to keep, on the security trail like every export."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    # The file holds clients' names and contacts, so it is on the security trail like exports.
    record(AuditEvent.Action.EXPORT, coach=request.user, request=request, detail={"format": what})
    return response
