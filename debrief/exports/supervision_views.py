"""Supervision: mark a reflection, choose sessions, review the pack, download it.

Nothing leaves before the review page, which shows the pack exactly as it will be exported,
with the capitalised words still left that may be names marked for the coach to check. The
words the coach redacts are kept with the pack (sealed) and applied to every download.
"""

from __future__ import annotations

import re
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.audit.denied import get_owned_or_404
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.exchange.reauth import needs_reauthentication, reauthenticate_then
from debrief.exports import render as files
from debrief.exports.forms import FlagForm, PackForm
from debrief.exports.markdown import session_filename, session_markdown
from debrief.exports.models import SupervisionFlag, SupervisionPack
from debrief.exports.pack import MAX_SESSIONS, chosen, make_pack, pack_docs, texts_of
from debrief.exports.views import PDF, ZIP, attachment
from debrief.exports.zipstream import stream_zip
from debrief.journal.access import get_session_for_user
from debrief.lib.http import AuthedRequest
from debrief.lib.pseudonyms import clean_redactions

MAX_CANDIDATES = 300  # words offered one by one; more is a sign the pack is too big


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Mark (or unmark) a reflection for supervision, with a note of what to bring."""
    session = get_session_for_user(request, code)
    reflection = getattr(session, "reflection", None)
    if reflection is None:
        raise Http404
    existing = SupervisionFlag.objects.for_coach(request.user).filter(reflection=reflection).first()
    initial = {"for_supervision": existing is not None, "note": existing.note if existing else ""}
    form = FlagForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["for_supervision"]:
            if existing is not None:
                existing.delete()
            messages.success(request, "No longer marked for supervision.")
        else:
            flagged = existing or SupervisionFlag(coach=request.user, reflection=reflection)
            flagged.note = form.cleaned_data["note"]
            flagged.save()
            messages.success(request, "Marked for supervision.")
        return redirect("reflection_view", code=session.code)
    ctx = {"session": session, "form": form, "flagged": existing is not None}
    return render(request, "exports/flag.html", ctx, status=400 if form.errors else 200)


def _coachee_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    found = sorted(Coachee.objects.for_coach(request.user), key=lambda c: c.display_name.casefold())
    return [(str(c.code), c.display_name) for c in found]


def _packs_page(request: AuthedRequest, form: PackForm, status: int = 200) -> HttpResponse:
    ctx = {
        "form": form,
        "packs": SupervisionPack.objects.for_coach(request.user)
        .annotate(session_count=Count("sessions"))
        .order_by("-created")[:20],
        "flagged": SupervisionFlag.objects.for_coach(request.user).count(),
        "limit": MAX_SESSIONS,
    }
    return render(request, "exports/packs.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def packs(request: AuthedRequest) -> HttpResponse:
    """Choose the sessions (flagged, a coachee, a date range); making the pack shows its review."""
    choices = _coachee_choices(request)
    if request.method == "GET":
        return _packs_page(request, PackForm(initial={"flagged_only": True}, coachees=choices))
    form = PackForm(request.POST, coachees=choices)
    if not form.is_valid():
        return _packs_page(request, form, status=400)
    data = form.cleaned_data
    coachee = get_coachee_for_user(request, UUID(data["coachee"])) if data["coachee"] else None
    choice = {
        "flagged_only": data["flagged_only"],
        "coachee": coachee,
        "date_from": data["date_from"],
        "date_to": data["date_to"],
    }
    sessions = list(chosen(request.user, **choice).select_related(None)[: MAX_SESSIONS + 1])
    if not sessions:
        form.add_error(
            None, "No sessions match that choice. Widen the dates, or untick “only marked”."
        )
        return _packs_page(request, form, status=400)
    if len(sessions) > MAX_SESSIONS:
        form.add_error(
            None,
            f"More than {MAX_SESSIONS} sessions match. A pack is for a supervision "
            "conversation: choose a coachee or a shorter date range.",
        )
        return _packs_page(request, form, status=400)
    pack = make_pack(request.user, sessions, **choice)
    return redirect("supervision_pack", code=pack.code)


def _get_pack(request: AuthedRequest, code: UUID) -> SupervisionPack:
    """The choke point for a pack in a URL: another coach's code is a 404."""
    qs = SupervisionPack.objects.for_coach(request.user)
    pack: SupervisionPack = get_owned_or_404(request, qs, SupervisionPack, code)
    return pack


_TAG = re.compile(r"(<[^>]*>)")


def _marked(html: str, words: list[str]) -> SafeString:
    """``html`` with each of ``words`` wrapped in <mark>, in text only (never inside a tag)."""
    if not words:
        return mark_safe(html)  # noqa: S308 - our own rendered template
    pattern = re.compile(r"(?<![\w&#])(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    pieces = _TAG.split(html)
    for i in range(0, len(pieces), 2):  # even pieces are text between tags
        pieces[i] = pattern.sub(r'<mark class="maybe-name">\1</mark>', pieces[i])
    return mark_safe("".join(pieces))  # noqa: S308 - words are letters only, the rest is ours


@login_required
@require_http_methods(["GET", "POST"])
def pack_review(request: AuthedRequest, code: UUID) -> HttpResponse:
    pack = _get_pack(request, code)
    error = ""
    if request.method == "POST":
        raw = request.POST.getlist("redact") + request.POST.get("more", "").split("\n")
        words, error = clean_redactions([*pack.redaction_list, *raw])
        if request.POST.get("op") == "clear":
            words, error = [], ""
        if not error:
            pack.redactions = "\n".join(words)
            pack.save(update_fields=["redactions", "updated"])
            messages.success(request, "Redactions saved. The pack below is what will leave.")
            return redirect("supervision_pack", code=pack.code)
    docs, names = pack_docs(pack)
    candidates = names.candidates(texts_of(docs))
    body = render_to_string("exports/_document.html", {"docs": docs, "title": "Supervision pack"})
    ctx = {
        "pack": pack,
        "docs": docs,
        "body": _marked(body, candidates[:MAX_CANDIDATES]),
        "candidates": candidates[:MAX_CANDIDATES],
        "more_candidates": max(0, len(candidates) - MAX_CANDIDATES),
        "redactions": pack.redaction_list,
        "coachees": len(pack.letters),
        "error": error,
        "typed": request.POST.get("more", "") if error else "",
    }
    return render(request, "exports/pack_review.html", ctx, status=400 if error else 200)


def _recorded(request: AuthedRequest, pack: SupervisionPack, what: str, sessions: int) -> None:
    record(
        AuditEvent.Action.EXPORT,
        coach=request.user,
        request=request,
        subject=str(pack.code),
        detail={
            "format": what,
            "sessions": sessions,
            "coachees": len(pack.letters),
            "redactions": len(pack.redaction_list),
        },
    )


@login_required
@require_GET
def pack_pdf(request: AuthedRequest, code: UUID) -> HttpResponse:
    pack = _get_pack(request, code)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    docs, _ = pack_docs(pack)
    body = files.pdf(
        docs, "Supervision pack", cover="exports/_pack_cover.html", pack=pack, paged=True
    )
    name = f"debrief-supervision-pack-{pack.created:%Y-%m-%d}-{str(pack.code)[:8]}.pdf"
    response = HttpResponse(body, content_type=PDF)
    attachment(response, name)
    _recorded(request, pack, "supervision-pack-pdf", len(docs))
    return response


@login_required
@require_GET
def pack_markdown(request: AuthedRequest, code: UUID) -> HttpResponse | StreamingHttpResponse:
    pack = _get_pack(request, code)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    docs, _ = pack_docs(pack)
    members = [
        (f"{doc.coachee_name}/{session_filename(doc)}", session_markdown(doc)) for doc in docs
    ]
    response = StreamingHttpResponse(stream_zip(members, timezone.localtime()), ZIP)
    attachment(
        response, f"debrief-supervision-pack-{pack.created:%Y-%m-%d}-{str(pack.code)[:8]}.zip"
    )
    _recorded(request, pack, "supervision-pack-markdown", len(docs))
    return response


@login_required
@require_POST
def pack_delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    pack = _get_pack(request, code)
    pack.delete()
    messages.success(request, "Pack deleted, with its redactions. Your reflections are unchanged.")
    return redirect("supervision_packs")
