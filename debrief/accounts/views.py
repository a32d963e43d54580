from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.lib.http import AuthedRequest


def _two_factor_context(request: AuthedRequest) -> dict[str, object]:
    """What allauth's own two-factor page gets, so both pages share ``mfa/_status.html``."""
    authenticators = {a.type: a.wrap() for a in Authenticator.objects.filter(user=request.user)}
    return {"authenticators": authenticators}


def _record_codes_shown(request: AuthedRequest, response: HttpResponse, reason: str) -> None:
    if response.status_code == 200:
        record(
            AuditEvent.Action.RECOVERY_CODES,
            coach=request.user,
            request=request,
            detail={"reason": reason},
        )


@login_required
@require_GET
def security(request: AuthedRequest) -> HttpResponse:
    ctx = _two_factor_context(request)
    ctx["sign_in_count"] = len(UserSession.objects.purge_and_list(request.user))
    ctx["idle_hours"] = settings.DEBRIEF_IDLE_HOURS
    return render(request, "account/security.html", ctx)


# allauth's recovery-code pages, wrapped so that showing the codes is in the audit trail.
# They ask for recent re-authentication themselves (a redirect, not recorded).


@login_required
@require_GET
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    response = recovery_code_views.view_recovery_codes(request)
    _record_codes_shown(request, response, "viewed")
    return response


@login_required
@require_GET
def recovery_codes_download(request: AuthedRequest) -> HttpResponse:
    response = recovery_code_views.download_recovery_codes(request)
    _record_codes_shown(request, response, "downloaded")
    return response
