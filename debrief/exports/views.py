"""PDF and Markdown of a reflection, a coachee's dossier, the whole journal as a zip.

Every download goes through the ownership choke points (another coach's code is a 404,
before any password is asked), asks for the password again like every export, names no one
in its file name and is recorded on the security trail with counts only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.exchange.reauth import needs_reauthentication, reauthenticate_then
from debrief.exports import dossier
from debrief.exports import render as files
from debrief.exports.document import SessionDoc, build
from debrief.exports.forms import DEFAULT_DETAILS, DossierForm
from debrief.exports.markdown import session_filename, session_markdown
from debrief.exports.records import records
from debrief.journal.access import get_session_for_user
from debrief.journal.models import CoachingSession
from debrief.lib.http import AuthedRequest

PDF = "application/pdf"
MARKDOWN = "text/markdown; charset=utf-8"
ZIP = "application/zip"


def _stamp() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"


def download(
    request: AuthedRequest, body: bytes | str, content_type: str, filename: str, **detail: Any
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    attachment(response, filename)
    record(AuditEvent.Action.EXPORT, coach=request.user, request=request, detail=detail)
    return response


def _one(request: AuthedRequest, session: CoachingSession) -> SessionDoc:
    chosen = CoachingSession.objects.for_coach(request.user).filter(pk=session.pk)
    found = list(records([session.coachee], chosen))
    if not found:  # a session without a reflection (made outside the pages): nothing to export
        raise Http404
    return build(found[0])


@login_required
@require_GET
def reflection_pdf(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    doc = _one(request, session)
    body = files.pdf([doc], doc.heading)
    name = f"debrief-session-{str(session.code)[:8]}-{session.date:%Y-%m-%d}.pdf"
    return download(request, body, PDF, name, format="reflection-pdf", sessions=1)


@login_required
@require_GET
def reflection_markdown(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    doc = _one(request, session)
    name = f"debrief-{str(session.code)[:8]}-{session_filename(doc).replace(' ', '-')}"
    return download(
        request, session_markdown(doc), MARKDOWN, name, format="reflection-markdown", sessions=1
    )


def _dossier_page(
    request: AuthedRequest, coachee: Coachee, form: DossierForm, status: int = 200
) -> HttpResponse:
    ctx = {"coachee": coachee, "form": form, "count": coachee.sessions.count()}
    return render(request, "exports/dossier.html", ctx, status=status)


@login_required
@require_GET
def coachee_exports(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The choice: which sessions, which details, PDF or Markdown."""
    coachee = get_coachee_for_user(request, code)
    form = DossierForm(initial={"details": list(DEFAULT_DETAILS)})
    return _dossier_page(request, coachee, form)


def _chosen(request: AuthedRequest, code: UUID) -> tuple[Coachee, DossierForm, Any]:
    coachee = get_coachee_for_user(request, code)
    data = request.GET.copy()
    if "details" not in data and "date_from" not in data and "date_to" not in data:
        data.setlist("details", list(DEFAULT_DETAILS))
    form = DossierForm(data)
    return coachee, form, form.cleaned_data if form.is_valid() else None


@login_required
@require_GET
def coachee_pdf(request: AuthedRequest, code: UUID) -> HttpResponse:
    coachee, form, data = _chosen(request, code)
    if data is None:
        return _dossier_page(request, coachee, form, status=400)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    body, count = dossier.draw(request.user, coachee, data)
    name = f"debrief-dossier-{str(coachee.code)[:8]}-{_stamp()}.pdf"
    return download(request, body, PDF, name, format="dossier-pdf", sessions=count)


@login_required
@require_GET
def coachee_markdown(request: AuthedRequest, code: UUID) -> HttpResponse | StreamingHttpResponse:
    coachee, form, data = _chosen(request, code)
    if data is None:
        return _dossier_page(request, coachee, form, status=400)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    sessions = dossier.sessions(request.user, coachee, data)
    count = sessions.count()
    found = records([coachee], sessions)
    response = StreamingHttpResponse(files.markdown_zip(found, {coachee.pk: coachee}), ZIP)
    attachment(response, f"debrief-coachee-{str(coachee.code)[:8]}-{_stamp()}-markdown.zip")
    record(
        AuditEvent.Action.EXPORT,
        coach=request.user,
        request=request,
        subject=str(coachee.code),
        detail={"format": "coachee-markdown-zip", "sessions": count},
    )
    return response


@login_required
@require_GET
def exports_page(request: AuthedRequest) -> HttpResponse:
    ctx = {
        "sessions": CoachingSession.objects.for_coach(request.user).count(),
        "coachees": Coachee.objects.for_coach(request.user).count(),
    }
    return render(request, "exports/page.html", ctx)


@login_required
@require_GET
def journal_markdown(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    coachees = list(Coachee.objects.for_coach(request.user).order_by("created", "pk"))
    sessions = CoachingSession.objects.for_coach(request.user)
    count = sessions.count()
    found = records(coachees, sessions)
    stream = files.markdown_zip(found, {c.pk: c for c in coachees})
    response = StreamingHttpResponse(stream, ZIP)
    attachment(response, f"debrief-journal-{_stamp()}-markdown.zip")
    record(
        AuditEvent.Action.EXPORT,
        coach=request.user,
        request=request,
        detail={"format": "journal-markdown-zip", "sessions": count, "coachees": len(coachees)},
    )
    return response
