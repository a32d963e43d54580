"""Add, edit and delete supervision, mentor coaching, CPD and client feedback entries.

One set of views serves the four kinds; each ``Kind`` says which model and form it uses and
how an entry's fields go to and from the form. Every entry is reached through
``access.get_entry_for_user`` (``for_coach`` then the code): another coach's code is a 404, noted in
the owner's security activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.http import AuthedRequest
from debrief.practice import certificates
from debrief.practice.access import get_entry_for_user
from debrief.practice.forms import (
    CPDForm,
    FeedbackForm,
    LearningForm,
    MentoringForm,
    SupervisionForm,
)
from debrief.practice.models import ClientFeedback, CPDEntry, MentoringEntry, SupervisionEntry
from debrief.privacy.keystore import keystore

SESSION_CHOICES = 60  # the latest sessions offered as "brought to supervision"


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[Model]
    form: type[forms.Form]
    fields: tuple[str, ...]  # copied as they are between the form and the entry
    singular: str  # "supervision session"
    heading: str  # "Supervision"


KINDS = {
    k.key: k
    for k in (
        Kind(
            "supervision",
            SupervisionEntry,
            SupervisionForm,
            ("date", "supervisor", "mode", "hours", "themes", "learning"),
            "supervision session",
            "Supervision",
        ),
        Kind(
            "mentoring",
            MentoringEntry,
            MentoringForm,
            ("date", "mentor", "mentor_email", "mentor_credential", "mode", "hours"),
            "mentor coaching session",
            "Mentor coaching",
        ),
        Kind(
            "cpd",
            CPDEntry,
            CPDForm,
            ("date", "title", "provider", "hours", "category", "coach_training", "learning"),
            "CPD entry",
            "CPD and training",
        ),
        Kind("feedback", ClientFeedback, FeedbackForm, ("date", "text"), "feedback", "Feedback"),
    )
}


def _session_choices(request: AuthedRequest, extra: list[int]) -> list[tuple[str, str]]:
    sessions = (
        CoachingSession.objects.for_coach(request.user)
        .select_related("coachee")
        .order_by("-date", "-number")
    )
    chosen = list(sessions[:SESSION_CHOICES])
    have = {s.pk for s in chosen}
    chosen += [s for s in sessions.filter(pk__in=extra) if s.pk not in have]
    return [
        (str(s.code), f"{s.date:%-d %b %Y} · {s.coachee.display_name}, session {s.number}")
        for s in chosen
    ]


def _coachee_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    found = sorted(Coachee.objects.for_coach(request.user), key=lambda c: c.display_name.casefold())
    return [(str(c.code), c.display_name) for c in found]


def _form(request: AuthedRequest, kind: Kind, entry: Any, data: Any) -> forms.Form:
    initial: dict[str, Any] = {}
    if entry is not None:
        initial = {f: getattr(entry, f) for f in kind.fields}
    extra: dict[str, Any] = {}
    if kind.key == "supervision":
        linked = list(entry.sessions.all()) if entry is not None else []
        initial["sessions"] = [str(s.code) for s in linked]
        extra["sessions"] = _session_choices(request, [s.pk for s in linked])
    elif kind.key == "feedback":
        extra["coachees"] = _coachee_choices(request)
        if entry is not None and entry.coachee_id:
            initial["coachee"] = str(entry.coachee.code)
    files = request.FILES if request.method == "POST" else None
    return kind.form(data, files, initial=initial, **extra)


def _copy_in(request: AuthedRequest, kind: Kind, form: forms.Form, entry: Any) -> bytes | None:
    """Copy the form onto the entry; the certificate's bytes if one was uploaded."""
    for name in kind.fields:
        setattr(entry, name, form.cleaned_data[name])
    if kind.key == "feedback":
        code = form.cleaned_data["coachee"]
        coachee = (
            Coachee.objects.for_coach(request.user).filter(code=code).first() if code else None
        )
        if code and coachee is None:
            raise Http404
        was_anonymous = entry.pk is not None and entry.coachee_id is None
        entry.coachee = coachee
        if was_anonymous and coachee is not None:  # now sealed with the coachee's key
            transaction.on_commit(lambda: keystore().destroy(entry.code))
    if kind.key == "cpd" and form.cleaned_data.get("certificate"):
        try:
            data, kind_name = certificates.read_upload(form.cleaned_data["certificate"])
        except certificates.CertificateError as error:
            form.add_error("certificate", str(error))
            return None
        entry.certificate_type = kind_name
        entry.certificate_size = len(data)
        entry.certificate_name = form.cleaned_data["certificate"].name[-120:]
        return data
    return b""


def _save(request: AuthedRequest, kind: Kind, form: forms.Form, entry: Any) -> bool:
    clear = kind.key == "cpd" and form.cleaned_data.get("certificate") is False
    certificate = _copy_in(request, kind, form, entry)
    if certificate is None:
        return False
    if clear:
        entry.certificate_type, entry.certificate_size, entry.certificate_name = "", 0, ""
    with transaction.atomic():
        entry.save()
        if kind.key == "supervision":
            codes = form.cleaned_data["sessions"]
            entry.sessions.set(
                CoachingSession.objects.for_coach(request.user).filter(code__in=codes)
            )
    if certificate:
        certificates.store(entry.code, certificate)
    elif clear:
        certificates.remove(entry.code)
    return True


def _render(request: AuthedRequest, kind: Kind, form: forms.Form, entry: Any) -> HttpResponse:
    ctx = {"kind": kind, "form": form, "entry": entry}
    return render(request, "practice/entry_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    form = _form(request, spec, None, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = spec.model(coach=request.user)
        if _save(request, spec, form, entry):
            messages.success(request, f"Your {spec.singular} was added.")
            return redirect("practice")
    return _render(request, spec, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, kind: str, code: UUID) -> HttpResponse:
    spec = KINDS[kind]
    entry = get_entry_for_user(request, spec, code)
    if isinstance(entry, SupervisionEntry) and entry.is_recorded:
        return _recorded_entry(request, spec, entry)
    form = _form(request, spec, entry, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _save(request, spec, form, entry):
        messages.success(request, f"Your {spec.singular} was saved.")
        return redirect("practice")
    return _render(request, spec, form, entry)


def _recorded_entry(request: AuthedRequest, kind: Kind, entry: SupervisionEntry) -> HttpResponse:
    """What a supervisor recorded (date, hours, themes, sign-off) is theirs; the learning yours."""
    form = LearningForm(
        request.POST if request.method == "POST" else None, initial={"learning": entry.learning}
    )
    if request.method == "POST" and form.is_valid():
        entry.learning = form.cleaned_data["learning"]
        entry.save(update_fields=["learning", "updated"])
        messages.success(request, "What you took from it was saved.")
        return redirect("practice")
    ctx = {"kind": kind, "form": form, "entry": entry}
    return render(request, "practice/recorded_entry.html", ctx, status=400 if form.errors else 200)


@login_required
@require_POST
def entry_delete(request: AuthedRequest, kind: str, code: UUID) -> HttpResponse:
    spec = KINDS[kind]
    entry = get_entry_for_user(request, spec, code)
    when = f"{entry.date:%-d %B %Y}"
    entry.delete()
    messages.success(request, f"The {spec.singular} of {when} was deleted.")
    return redirect("practice")


@login_required
@require_GET
def cpd_certificate(request: AuthedRequest, code: UUID) -> HttpResponse:
    entry = get_entry_for_user(request, KINDS["cpd"], code)
    if not entry.has_certificate:
        raise Http404
    try:
        data = certificates.load(entry.code)
    except (OSError, ValueError, LookupError):
        messages.error(request, "The certificate file could not be opened. Upload it again.")
        return redirect("entry_edit_cpd", code=entry.code)
    response = HttpResponse(data, content_type=certificates.content_type(entry.certificate_type))
    extension = {"jpeg": "jpg"}.get(entry.certificate_type, entry.certificate_type)
    response["Content-Disposition"] = f'attachment; filename="certificate-{entry.date}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response
