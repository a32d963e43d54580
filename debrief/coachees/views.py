from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Max, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.forms import CoacheeForm, StatusForm
from debrief.coachees.lists import action_rows, actions_html, timeline_html, timeline_rows
from debrief.coachees.models import Coachee, Handover
from debrief.followup.models import ActionItem
from debrief.followup.progress import breakthroughs, goal_tracks
from debrief.insights.sections import coachee_section
from debrief.journal.models import CoachingSession, held_q
from debrief.lib.http import AuthedRequest

STATUS_FILTERS = ("current", "active", "paused", "completed", "archived", "all")


TIMELINE_ROWS = 25  # the latest sessions on a coachee's page; "Show all" lists every one
TIMELINE_FIELDS = (
    "code",
    "cancelled",
    "coachee_id",
    "number",
    "date",
    "start_time",
    "duration_minutes",
    "format",
    "payment",
    "kind",
    "group_size",
)


SORTS = {
    "name": "Name",
    "recent": "Most recent session",
    "sessions": "Most sessions",
}


def _sorted(coachees: list[Coachee], sort: str) -> list[Coachee]:
    """Sorted for the list; each row is annotated with session_count and last_session."""
    by_name = sorted(coachees, key=lambda c: c.display_name.casefold())
    if sort == "recent":  # never seen last, by name
        return sorted(by_name, key=lambda c: (_last(c) is None, -_ordinal(c)))
    if sort == "sessions":
        return sorted(by_name, key=lambda c: -int(getattr(c, "session_count", 0)))
    return by_name


def _last(coachee: Coachee) -> date | None:
    last: date | None = getattr(coachee, "last_session", None)
    return last


def _ordinal(coachee: Coachee) -> int:
    last = _last(coachee)
    return last.toordinal() if last else 0


def _matches(coachee: Coachee, words: list[str]) -> bool:
    """Every word of the search in the names, the organisation or the email (any case)."""
    hay = " ".join(
        (coachee.name, coachee.preferred_name, coachee.organisation, coachee.email)
    ).casefold()
    return all(word in hay for word in words)


def _filtered(request: AuthedRequest, show: str) -> list[Coachee]:
    held = held_q(timezone.localdate(), "sessions__")
    qs = Coachee.objects.for_coach(request.user).annotate(
        session_count=Count("sessions", filter=held),
        last_session=Max("sessions__date", filter=held),
    )
    if show == "current":
        qs = qs.filter(status__in=[Coachee.Status.ACTIVE, Coachee.Status.PAUSED])
    elif show != "all":
        qs = qs.filter(status=show)
    # Names are private text (encrypted): searched and sorted in Python, never in SQL.
    return list(qs)


@login_required
@require_GET
def coachee_list(request: AuthedRequest) -> HttpResponse:
    show = request.GET.get("show", "current")
    if show not in STATUS_FILTERS:
        show = "current"
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    query = request.GET.get("q", "").strip()[:100]
    found = _filtered(request, show)
    if query:
        words = query.casefold().split()
        found = [c for c in found if _matches(c, words)]
    ctx = {
        "coachees": _sorted(found, sort),
        "show": show,
        "filters": STATUS_FILTERS,
        "sort": sort,
        "sorts": SORTS,
        "q": query,
        "offered_to_me": Handover.objects.filter(
            to_coach=request.user, state=Handover.State.OFFERED
        ).count(),
    }
    return render(request, "coachees/list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def coachee_new(request: AuthedRequest) -> HttpResponse:
    form = CoacheeForm(request.POST or None, initial={"status": Coachee.Status.ACTIVE})
    if request.method == "POST" and form.is_valid():
        coachee = Coachee(coach=request.user)
        form.copy_to(coachee)
        coachee.save()
        messages.success(request, f"{coachee.display_name} added.")
        return redirect("coachee_detail", code=coachee.code)
    return render(request, "coachees/form.html", {"form": form, "coachee": None})


@login_required
@require_http_methods(["GET", "POST"])
def coachee_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    coachee = get_coachee_for_user(request, code)
    form = CoacheeForm(request.POST or None, initial=CoacheeForm.initial_for(coachee))
    if request.method == "POST" and form.is_valid():
        fields = form.copy_to(coachee)
        coachee.save(update_fields=[*fields, "updated"])
        messages.success(request, "Changes saved.")
        return redirect("coachee_detail", code=coachee.code)
    return render(request, "coachees/form.html", {"form": form, "coachee": coachee})


@login_required
@require_POST
def coachee_status(request: AuthedRequest, code: UUID) -> HttpResponse:
    coachee = get_coachee_for_user(request, code)
    form = StatusForm(request.POST)
    if form.is_valid():
        coachee.status = form.cleaned_data["status"]
        coachee.save(update_fields=["status", "updated"])
        messages.success(
            request, f"{coachee.display_name} is now {coachee.get_status_display().lower()}."
        )
    else:
        messages.error(request, "Choose one of the listed statuses.")
    return redirect("coachee_detail", code=coachee.code)


EXPORTS = ("html", "json")


@login_required
@require_GET
def coachee_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    coachee = get_coachee_for_user(request, code)
    everything = request.GET.get("sessions") == "all"
    all_sessions = CoachingSession.objects.for_coach(request.user).filter(coachee=coachee)
    today = timezone.localdate()
    totals = all_sessions.aggregate(
        count=Count("id"),
        held=Count("id", filter=held_q(today)),
        minutes=Sum("duration_minutes", filter=held_q(today)),
    )
    timeline = (
        all_sessions.select_related("reflection")
        # Only what the timeline shows: a long engagement loads hundreds of these rows.
        .only(*TIMELINE_FIELDS, "reflection__status")
        .order_by("-date", "-number")
    )
    sessions = list(timeline if everything else timeline[:TIMELINE_ROWS])
    actions = list(
        ActionItem.objects.for_coach(request.user)
        .filter(coachee=coachee, status=ActionItem.Status.OPEN)
        .select_related("session")
        .order_by(F("due").asc(nulls_last=True), "created")
    )
    rows = timeline_rows(sessions)
    # The hidden CSRF field of every open action's form, rendered once, not once a form.
    hidden = csrf_input(request)
    ctx = {
        "coachee": coachee,
        "sessions": rows,
        "timeline": timeline_html(rows),
        "session_count": totals["count"],
        "coachee_actions": actions_html(
            action_rows([a for a in actions if a.owner == ActionItem.Owner.COACHEE], today),
            hidden,
            request.path,
        ),
        "coach_actions": actions_html(
            action_rows([a for a in actions if a.owner == ActionItem.Owner.COACH], today),
            hidden,
            request.path,
        ),
        "held_count": totals["held"],
        "total_hours": round((totals["minutes"] or 0) / 60, 1),
        "statuses": Coachee.Status.choices,
        "goals": goal_tracks(coachee),
        "breakthroughs": breakthroughs(coachee),
        "insights": coachee_section(request.user, coachee),
        # Back from confirming the password for an export: the download, offered at the top.
        "export_ready": request.GET.get("export") if request.GET.get("export") in EXPORTS else "",
        "handovers": _handover_lines(coachee),
        # Dates written here, as "1 December 2026": the template's date filter costs more.
        "since": _day(coachee.engagement_start),
        "consent_on": _day(coachee.notes_consent_on),
    }
    return render(request, "coachees/detail.html", ctx)


def _day(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _handover_lines(coachee: Coachee) -> list[str]:
    """ "Handed over from Sam on 1 December 2026", and an offer waiting, for the coachee's page."""
    lines = []
    for h in coachee.handovers.filter(
        state__in=[Handover.State.ACCEPTED, Handover.State.OFFERED]
    ).select_related("from_coach", "to_coach"):
        if h.state == Handover.State.ACCEPTED and h.decided:
            who = h.from_coach.display_name or h.from_coach.email if h.from_coach else "a coach"
            lines.append(f"Handed over from {who} on {h.decided:%-d %B %Y}.")
        elif h.state == Handover.State.OFFERED and h.to_coach:
            who = h.to_coach.display_name or h.to_coach.email
            lines.append(f"Offered to {who} on {h.created:%-d %B %Y}: waiting for them to accept.")
    return lines
