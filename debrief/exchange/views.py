from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.exchange.erasure import erase_coachee
from debrief.exchange.export import SELF_ASSESSMENT_TITLES, build_export, to_json
from debrief.exchange.forms import EraseForm, RetentionApplyForm, RetentionForm
from debrief.exchange.holdings import Holdings, holdings_of
from debrief.exchange.models import RetentionPolicy
from debrief.exchange.reauth import needs_reauthentication, reauthenticate_then
from debrief.exchange.retention import due_for_erasure, erase_due, policy_for
from debrief.lib.http import AuthedRequest
from debrief.lib.pdf import render_pdf
from debrief.supervision.sharing import holding


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _download(
    body: str | bytes, content_type: str, coachee: Coachee, extension: str
) -> HttpResponse:
    # The file name carries no name: it ends up in the browser's list of downloads.
    filename = f"debrief-coachee-{str(coachee.code)[:8]}-{timezone.localdate():%Y-%m-%d}"
    charset = "" if isinstance(body, bytes) else "; charset=utf-8"
    response = HttpResponse(body, content_type=f"{content_type}{charset}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


def _export(request: AuthedRequest, code: UUID, kind: str) -> HttpResponse:
    coachee = get_coachee_for_user(request, code)
    if needs_reauthentication(request):
        # Back to the coachee's page with the download offered, not to the file itself: a
        # download does not change the page, which would leave the coach on the password form.
        back = reverse("coachee_detail", args=[coachee.code]) + f"?export={kind}#export-ready"
        return reauthenticate_then(request, back)
    held = holdings_of(coachee)
    # The coach's private self-assessment stays out unless they chose to include it.
    private = request.GET.get("private") == "1"
    data = build_export(coachee, private=private)
    if kind == "json":
        response = _download(to_json(data), "application/json", coachee, "json")
    elif kind == "pdf":
        html = render_to_string("exchange/coachee_export.html", {"data": data, "pdf": True})
        response = _download(render_pdf(html), "application/pdf", coachee, "pdf")
    else:
        html = render_to_string("exchange/coachee_export.html", {"data": data})
        response = _download(html, "text/html", coachee, "html")
    record(
        AuditEvent.Action.EXPORT,
        coach=request.user,
        request=request,
        subject=str(coachee.code),
        detail={"format": kind, "self_assessment": private, **held.as_dict()},
    )
    return response


@login_required
@require_GET
def coachee_copy(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Their own copy: what it holds, what is left out by default, and the choice."""
    coachee = get_coachee_for_user(request, code)
    ctx = {"coachee": coachee, "held": holdings_of(coachee), "sections": SELF_ASSESSMENT_TITLES}
    return render(request, "exchange/coachee_copy.html", ctx)


@login_required
@require_GET
def coachee_export_pdf(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, "pdf")


@login_required
@require_GET
def coachee_export_json(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, "json")


@login_required
@require_GET
def coachee_export_html(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, "html")


def _erased_message(held: Holdings) -> str:
    return (
        f"Erased, with {_count(held.sessions, 'session')} and "
        f"{_count(held.action_items, 'action item')}. Their data key was destroyed too."
    )


@login_required
@require_http_methods(["GET", "POST"])
def coachee_erase(request: AuthedRequest, code: UUID) -> HttpResponse:
    coachee = get_coachee_for_user(request, code)
    if needs_reauthentication(request):
        return reauthenticate_then(request, reverse("coachee_erase", args=[coachee.code]))
    form = EraseForm(request.POST or None, coachee=coachee)
    if request.method == "POST" and form.is_valid():
        erasure = erase_coachee(coachee, request=request)
        # The message names nobody: messages wait in the session, which outlives the coachee.
        messages.success(request, _erased_message(erasure.held))
        return redirect("coachee_list")
    packs, shares = holding(coachee)
    ctx = {
        "coachee": coachee,
        "form": form,
        "held": holdings_of(coachee),
        "packs": packs,
        "shares": shares,
    }
    return render(request, "exchange/erase.html", ctx)


def _retention_context(
    request: AuthedRequest, form: RetentionForm, policy: RetentionPolicy
) -> dict[str, Any]:
    return {
        "form": form,
        "policy": policy,
        "due": due_for_erasure(request.user, policy.years),
    }


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: AuthedRequest) -> HttpResponse:
    policy = policy_for(request.user)
    form = RetentionForm(request.POST or None, initial={"years": policy.years or ""})
    if request.method == "POST":
        # Setting a period authorises later deletions, so it asks for the password too.
        if needs_reauthentication(request):
            return reauthenticate_then(request, reverse("retention"))
        if form.is_valid():
            RetentionPolicy.objects.update_or_create(
                coach=request.user, defaults={"years": form.cleaned_data["years"]}
            )
            messages.success(request, "Retention period saved. Nothing has been deleted.")
            return redirect("retention")
    return render(request, "exchange/retention.html", _retention_context(request, form, policy))


@login_required
@require_POST
def retention_apply(request: AuthedRequest) -> HttpResponse:
    if needs_reauthentication(request):
        return reauthenticate_then(request, reverse("retention"))
    due = due_for_erasure(request.user, policy_for(request.user).years)
    form = RetentionApplyForm(request.POST, codes=[str(d.coachee.code) for d in due])
    if not form.is_valid():
        messages.error(request, "The list has changed since you saw it. Check it, then try again.")
        return redirect("retention")
    chosen = set(form.cleaned_data["coachee"])
    # Only those the coach saw listed, and only if they still qualify now.
    total = erase_due([d for d in due if str(d.coachee.code) in chosen], request=request)
    if chosen:
        record(
            AuditEvent.Action.RETENTION_RUN,
            coach=request.user,
            request=request,
            detail={"coachees": len(chosen), "trigger": "retention page", **total.as_dict()},
        )
        messages.success(request, f"{_count(len(chosen), 'coachee')} erased under your period.")
    else:
        messages.info(request, "Nobody was chosen, so nothing was deleted.")
    return redirect("retention")
