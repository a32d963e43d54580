"""Recent re-authentication (allauth) before an export, an erasure or a retention change.

Views check ownership first (so another coach gets a 404, not a password prompt), then ask
``needs_reauthentication``. When it has lapsed, the coach is sent to allauth's "confirm your
password" page and brought back to the page they were on. A POST is never kept to be replayed
after re-authentication (allauth would store its fields, a typed name included, in the
session): the coach comes back to the page and confirms again.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode


@reauthentication_required
def _probe(request: HttpRequest) -> None:
    return None


def needs_reauthentication(request: HttpRequest) -> bool:
    try:
        _probe(request)
    except ReauthenticationRequired:
        return True
    return False


def reauthenticate_then(request: HttpRequest, return_to: str) -> HttpResponseRedirect:
    """Where allauth itself would send the coach (password, or a second factor), then back."""
    methods = get_adapter().get_reauthentication_methods(request.user)
    page = methods[0]["url"] if methods else reverse("account_login")
    query = urlencode({REDIRECT_FIELD_NAME: return_to})
    return HttpResponseRedirect(f"{page}?{query}")
