"""Request types for views that run only for a signed-in coach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from debrief.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest behind @login_required: ``user`` is a real coach."""

    user: User
