from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.diary.review import to_review
from debrief.journal import home_html, prepare
from debrief.journal.access import get_session_for_user
from debrief.journal.answers.base import kind_of
from debrief.journal.forms import SessionForm
from debrief.journal.home import home_lists
from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.practice import summarise
from debrief.journal.presenters import SectionView, build_sections, progress, prompt_view
from debrief.journal.reflection import SaveResult, missing_required, save_fields, snapshot
from debrief.journal.sessions import coachee_choices, free_number, save_session_form
from debrief.journal.waiting import WAITING, waiting_rows
from debrief.lib.http import AuthedRequest
from debrief.practice.due import home_due
from debrief.prompts.models import TemplateVersion, default_template_version, usable_templates


def _has_ended(session: CoachingSession, now: datetime) -> bool:
    """Whether a session of today is over (one without a start time counts as over)."""
    starts = session.starts_at
    if starts is None:
        return True
    return starts + timedelta(minutes=session.duration_minutes) <= now


@dataclass(frozen=True)
class TodaySession:
    session: CoachingSession
    ended: bool


def _today(request: AuthedRequest, today: date) -> list[TodaySession]:
    sessions = (
        CoachingSession.objects.for_coach(request.user)
        .filter(date=today)
        .select_related("coachee", "reflection")
        .order_by("start_time", "number")
    )
    now = timezone.now()
    return [TodaySession(s, _has_ended(s, now)) for s in sessions]


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    todays = _today(request, today)
    # Today's sessions wait for a reflection once they are over; until then they are to prepare.
    ended_today = [t.session for t in todays if t.ended and t.session.reflection.status in WAITING]
    lists = home_lists(request.user, today, [(t.session, t.ended) for t in todays])
    pending, pending_count = waiting_rows(request.user, today, ended_today, lists.who)
    ctx = {
        "overdue": home_html.overdue_items(lists.overdue),
        "practice": summarise(request.user, today),
        "pending": pending,
        "pending_items": home_html.waiting_items(pending),
        "pending_count": pending_count,
        "todays": home_html.today_items(lists.today),
        "upcoming": home_html.upcoming_items(lists.upcoming),
        "recent": home_html.recent_items(lists.recent),
        "today": today,
        "has_coachees": Coachee.objects.for_coach(request.user).exists(),
        "due": home_due(request.user),
        "to_review": to_review(request.user).count(),  # calendar events, for the note at the top
    }
    return render(request, "journal/home.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: AuthedRequest) -> HttpResponse:
    coachee = None
    if code := request.GET.get("coachee"):
        try:
            coachee = get_coachee_for_user(request, UUID(code))
        except ValueError:
            coachee = None
    choices = coachee_choices(request, include=coachee)
    if not choices:
        messages.info(request, "Add a coachee first; then you can record their sessions.")
        return redirect("coachee_new")
    if coachee is None and len(choices) == 1:
        coachee = get_coachee_for_user(request, UUID(choices[0][0]))
    if coachee is None:  # from the header: ask who the session is with, never guess
        choices = [("", "Choose a coachee…"), *choices]
    initial = {
        "coachee": str(coachee.code) if coachee else "",
        "date": timezone.localdate(),
        "duration_minutes": 60,
        "format": CoachingSession.Format.VIDEO,
        "payment": CoachingSession.Payment.PAID,
        "kind": CoachingSession.Kind.INDIVIDUAL,
    }
    if coachee is not None:
        initial["number"] = free_number(coachee)
    form = SessionForm(request.POST or None, initial=initial, coachee_choices=choices)
    if request.method == "POST" and form.is_valid():
        session = CoachingSession(coach=request.user)
        with transaction.atomic():
            if save_session_form(request, form, session):
                version = _chosen_version(request, session.coachee)
                Reflection.objects.create(
                    coach=request.user, session=session, template_version=version
                )
                messages.success(request, f"Session {session.number} recorded.")
                return redirect("reflection_edit", code=session.code)
    ctx = {
        "form": form,
        "session": None,
        "templates": usable_templates(request.user),
        "chosen_template": request.POST.get("template", ""),
    }
    return render(request, "journal/session_form.html", ctx)


def _chosen_version(request: AuthedRequest, coachee: Coachee) -> TemplateVersion:
    """The template picked on the form, else the coachee's or coach's default."""
    by_code = {str(t.code): t for t in usable_templates(request.user)}
    chosen = by_code.get(request.POST.get("template", ""))
    if chosen is not None:
        return chosen.latest_version()
    return default_template_version(request.user, coachee)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    # A session stays with its coachee: their notes are sealed with that coachee's key, and
    # erasing the coachee must take the session with them.
    choices = [(str(session.coachee.code), session.coachee.display_name)]
    form = SessionForm(
        request.POST or None, initial=SessionForm.initial_for(session), coachee_choices=choices
    )
    if request.method == "POST" and form.is_valid() and save_session_form(request, form, session):
        messages.success(request, "Session details saved.")
        return redirect("reflection_view", code=session.code)
    return render(request, "journal/session_form.html", {"form": form, "session": session})


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    if request.method == "POST":
        coachee = session.coachee
        session.delete()
        record(
            AuditEvent.Action.SESSION_DELETED,
            coach=request.user,
            request=request,
            subject=str(code),
        )
        messages.success(request, f"Session {session.number} and its reflection were deleted.")
        return redirect("coachee_detail", code=coachee.code)
    ctx = {"session": session, "action_count": session.action_items.count()}
    return render(request, "journal/session_delete.html", ctx)


@login_required
@require_GET
def next_number(request: AuthedRequest) -> HttpResponse:
    """htmx: the suggested session number field for the chosen coachee."""
    try:
        coachee = get_coachee_for_user(request, UUID(request.GET.get("coachee", "")))
    except ValueError:
        return HttpResponse(status=404)
    ctx = {"number": free_number(coachee), "coachee": coachee}
    return render(request, "journal/_next_number.html", ctx)


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _autosave_response(
    request: AuthedRequest, session: CoachingSession, result: SaveResult
) -> JsonResponse:
    reflection = session.reflection
    reflection.refresh_from_db(fields=["status"])
    payload: dict[str, object] = {
        "saved": result.saved,
        "hashes": result.hashes,
        "errors": result.errors,
        "conflicts": [
            {
                **c.as_dict(),
                "html": render_to_string(
                    "journal/_conflict.html", {"c": c, "live": True}, request=request
                ),
            }
            for c in result.conflicts
        ],
        "status": reflection.get_status_display(),
        "saved_at": timezone.localtime().strftime("%H:%M"),  # 24-hour, as every time shown
    }
    if result.saved or result.actions_changed:
        counted = progress(build_sections(snapshot(reflection)))
        payload["progress"] = f"{counted['answered']} of {counted['total']} prompts answered"
    if result.actions_changed:
        snap = snapshot(reflection)
        views = {key: prompt_view(snap, key) for key in result.actions_changed if key}
        payload["actions_html"] = {
            key: render_to_string(view.edit_template, {"p": view}, request=request)
            for key, view in views.items()
        }
    status = 409 if result.conflicts else (400 if result.errors else 200)
    return JsonResponse(payload, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    reflection = session.reflection
    if request.method == "POST":
        result = save_fields(reflection, request.POST)
        if _wants_json(request):
            return _autosave_response(request, session, result)
        if result.ok:
            if request.POST.get("op") == "complete":
                return _complete(request, reflection)
            messages.success(request, f"Saved at {timezone.localtime():%H:%M}.")
            anchor = request.POST.get("op", "")
            suffix = f"#{anchor}" if anchor.startswith("add-") else ""
            return redirect(reverse("reflection_edit", args=[session.code]) + suffix)
        reflection.refresh_from_db()
        snap = snapshot(reflection)
        sections = build_sections(snap, request.POST, result.errors, result.conflicts)
        ctx = _edit_ctx(session, sections, result)
        return render(request, "journal/reflection_edit.html", ctx, status=200)
    snap = snapshot(reflection)
    return render(request, "journal/reflection_edit.html", _edit_ctx(session, build_sections(snap)))


def _edit_ctx(
    session: CoachingSession, sections: list[SectionView], result: SaveResult | None = None
) -> dict[str, object]:
    return {
        "session": session,
        "reflection": session.reflection,
        "sections": sections,
        "progress": progress(sections),
        "result": result,
        "neighbours": prepare.neighbours(session),
        "planning": _planning(session),
    }


def _complete(request: AuthedRequest, reflection: Reflection) -> HttpResponse:
    session = reflection.session
    if session.is_future:
        messages.error(
            request,
            f"Not marked complete: this session is on {session.date:%-d %B %Y}, still to "
            "come. Your plan is saved; mark the reflection complete after you have met.",
        )
        return redirect("reflection_edit", code=session.code)
    missing = missing_required(snapshot(reflection))
    if missing:
        # Each prompt named is a link to it (the message is built from escaped parts).
        listed = format_html_join(
            "; ",
            '<a href="#{}">“{}”</a>',
            ((kind_of(p).anchor.format(key=p.key), p.text) for p in missing),
        )
        messages.error(
            request,
            format_html(
                "Not marked complete yet: this template asks you to answer {}. "
                "Everything else is saved.",
                listed,
            ),
        )
        return redirect("reflection_edit", code=session.code)
    reflection.status = Reflection.Status.COMPLETE
    reflection.completed_at = timezone.now()
    reflection.save(update_fields=["status", "completed_at", "updated"])
    messages.success(request, "Reflection complete. Well done for taking the time.")
    return redirect("reflection_view", code=reflection.session.code)


@login_required
@require_POST
def reflection_status(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    reflection = session.reflection
    wanted = request.POST.get("status")
    if wanted == Reflection.Status.COMPLETE:
        return _complete(request, reflection)
    if wanted == Reflection.Status.DRAFT:
        reflection.status = Reflection.Status.DRAFT
        reflection.completed_at = None
        reflection.save(update_fields=["status", "completed_at", "updated"])
        messages.success(request, "The reflection is a draft again.")
        return redirect("reflection_edit", code=session.code)
    messages.error(request, "That is not a status a reflection can have.")
    return redirect("reflection_view", code=session.code)


def _planning(session: CoachingSession) -> bool:
    """Whether the session is still to come (its pre-session prompts read as a plan)."""
    if session.is_future:
        return True
    return session.date == timezone.localdate() and not _has_ended(session, timezone.now())


@login_required
@require_GET
def session_prepare(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The one-page preparation sheet, printable; its fields autosave like the reflection."""
    session = get_session_for_user(request, code)
    sections = build_sections(snapshot(session.reflection))
    earlier = prepare.earlier_sessions(session)
    last = prepare.last_held(earlier)
    follow = next((s.follow_through for s in sections if s.follow_through), None)
    ctx = {
        "session": session,
        "reflection": session.reflection,
        "neighbours": prepare.neighbours(session),
        "last": last,
        "summary": prepare.summary_of(last) if last else [],
        "goals": prepare.goal_lines(session),
        "follow": follow,
        "pre_sections": prepare.pre_sections(sections),
        "earlier": earlier,
        "planning": True,
    }
    return render(request, "journal/prepare.html", ctx)


@login_required
@require_GET
def reflection_view(request: AuthedRequest, code: UUID) -> HttpResponse:
    session = get_session_for_user(request, code)
    snap = snapshot(session.reflection)
    sections = build_sections(snap)
    ctx = {
        "session": session,
        "reflection": session.reflection,
        "sections": sections,
        "progress": progress(sections),
        "neighbours": prepare.neighbours(session),
    }
    return render(request, "journal/reflection_view.html", ctx)
