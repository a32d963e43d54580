"""The API tokens page (Security › API tokens): make, list and revoke personal access tokens.

A new token is shown once, in the response to the POST that made it: never put in a message,
the session or a redirect, so it is nowhere but on that page and in the coach's hands.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from debrief.api import tokens
from debrief.api.access import get_token_for_user
from debrief.api.forms import TokenForm
from debrief.api.models import ApiToken
from debrief.exchange.reauth import needs_reauthentication, reauthenticate_then
from debrief.lib.http import AuthedRequest

LISTED = 50


def _page(request: AuthedRequest, form: TokenForm, new_token: str = "") -> HttpResponse:
    listed = ApiToken.objects.for_coach(request.user).order_by("-created")[:LISTED]
    ctx = {
        "form": form,
        "tokens": listed,
        "new_token": new_token,
        "api_base": request.build_absolute_uri(reverse("api:api-root")),
        "openapi_url": reverse("api:openapi-json"),
    }
    return render(request, "api/tokens.html", ctx)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    # A token reads every note: making one asks for the password again, like an export.
    if needs_reauthentication(request):
        return reauthenticate_then(request, reverse("api_tokens"))
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    data = form.cleaned_data
    _, token = tokens.make_token(request.user, data["name"], data["scope"], data["days"], request)
    return _page(request, TokenForm(), new_token=token)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, code: UUID) -> HttpResponse:
    row = get_token_for_user(request, code)
    tokens.revoke(row, request)
    messages.success(request, f"“{row.name}” is revoked: it no longer opens the API.")
    return redirect("api_tokens")
