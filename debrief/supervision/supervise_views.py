"""The supervisor's side: what is shared with them now, reading it, recording a session.

Every page needs the supervisor role; a share is reached only through
``access.get_share_for_supervisor`` (open now, for this supervisor), so anything else is a 404.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.lib.http import AuthedRequest
from debrief.practice.models import SupervisionEntry
from debrief.supervision import recording, sharing
from debrief.supervision.access import (
    get_recorded_entry,
    get_share_for_supervisor,
    supervisor_required,
)
from debrief.supervision.forms import RecordForm

LISTED_RECORDED = 30


@supervisor_required
@require_GET
def supervise_home(request: AuthedRequest) -> HttpResponse:
    shares = (
        sharing.open_for(request.user)
        .select_related("coach", "pack")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_pack=Count("pack__sessions", distinct=True),
        )
        .exclude(n_sessions=0, n_pack=0)  # nothing left to show (erased or deleted since)
        .order_by("coach__email", "ends")
    )
    recorded = (
        SupervisionEntry.objects.filter(recorded_by=request.user, coach__is_active=True)
        .select_related("coach")
        .order_by("-date", "-created")[:LISTED_RECORDED]
    )
    ctx = {"shares": shares, "recorded": recorded}
    return render(request, "supervision/supervise_home.html", ctx)


@supervisor_required
@require_GET
def supervise_share(request: AuthedRequest, code: UUID) -> HttpResponse:
    share = get_share_for_supervisor(request, code)
    docs = sharing.docs_of(share)
    if not docs:  # every session shared was since deleted or its coachee erased
        raise Http404
    sharing.note_view(share, len(docs), request)
    body = render_to_string(
        "exports/_document.html", {"docs": docs, "title": "Shared for supervision"}
    )
    ctx = {
        "share": share,
        "docs": docs,
        "body": mark_safe(body),  # noqa: S308 - our own template, every text escaped in it
        "pack": share.pack,
    }
    return render(request, "supervision/supervise_share.html", ctx)


@supervisor_required
@require_http_methods(["GET", "POST"])
def supervise_record(request: AuthedRequest, code: UUID) -> HttpResponse:
    share = get_share_for_supervisor(request, code)
    form = RecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = recording.record_session(share, request.user, form.cleaned_data, request)
        signed = " and signed off" if entry.signed_off_at else ""
        messages.success(
            request,
            f"Recorded{signed}: {entry.hours_shown} h of supervision on {entry.date:%-d %B %Y} "
            f"in {share.coach}'s practice records.",
        )
        return redirect("supervise_home")
    ctx = {"share": share, "form": form}
    return render(
        request, "supervision/supervise_record.html", ctx, status=400 if form.errors else 200
    )


@supervisor_required
@require_POST
def supervise_sign_off(request: AuthedRequest, code: UUID) -> HttpResponse:
    entry = get_recorded_entry(request, code)
    if recording.sign_off(entry, request):
        messages.success(request, f"Signed off: {entry.date:%-d %B %Y}, {entry.hours_shown} h.")
    else:
        messages.info(request, "That session was already signed off.")
    return redirect("supervise_home")
