"""The ICF log's ownership choke point: a row from before Debrief is its coach's alone."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from debrief.icflog.models import OpeningBalance
from debrief.lib.http import AuthedRequest


def get_opening_row_for_user(request: AuthedRequest, code: UUID) -> OpeningBalance:
    """The signed-in coach's row of hours before Debrief; another coach's code is a 404."""
    row = OpeningBalance.objects.for_coach(request.user).filter(code=code).first()
    if row is None:
        raise Http404
    return row
