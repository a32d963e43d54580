from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.diary import feed as feeds
from debrief.diary import fetch as fetching
from debrief.diary.access import get_event_for_user, get_feed_for_user
from debrief.diary.forms import FeedForm, FeedOutForm, ImportForm
from debrief.diary.importer import ImportSummary, file_source
from debrief.diary.models import CalendarEvent, CalendarSource, FeedToken
from debrief.diary.reader import CalendarFileError
from debrief.diary.review import PAGE, apply_choices, to_review
from debrief.diary.sync import import_bytes, sync_feed
from debrief.lib.http import AuthedRequest

SKIPPED_SHOWN = 20
MATCH_WORDS = {
    "email": "matched by email address",
    "name": "matched by name in the title",
    "series": "as earlier in this series",
    "chosen": "chosen by you",
}


def _hub(
    request: AuthedRequest,
    *,
    form: ImportForm | None = None,
    feed_form: FeedForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    feeds_ = CalendarSource.objects.for_coach(request.user).filter(kind=CalendarSource.Kind.FEED)
    ctx = {
        "form": form or ImportForm(),
        "feed_form": feed_form or FeedForm(),
        "error": error,
        "feeds": feeds_.order_by("created"),
        "waiting": to_review(request.user).count(),
        "skipped": CalendarEvent.objects.for_coach(request.user)
        .filter(state=CalendarEvent.State.SKIPPED, starts_at__gte=timezone.now())
        .count(),
        "link": feeds.active_token(request.user),
    }
    return render(request, "diary/calendar.html", ctx, status=status)


@login_required
@require_GET
def calendar_home(request: AuthedRequest) -> HttpResponse:
    return _hub(request)


def _report(request: AuthedRequest, summary: ImportSummary) -> None:
    messages.success(request, summary.sentence())
    for note in [summary.left_out(), *summary.notes]:
        if note:
            messages.info(request, note)
    if summary.not_moved:
        messages.info(
            request,
            f"{summary.not_moved} session(s) moved in your calendar but already have a "
            "reflection, so Debrief left them where they were: change them by hand if needed.",
        )


@login_required
@require_POST
def calendar_import(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _hub(request, form=form, error="Choose a calendar file (.ics) to import.")
    try:
        summary = import_bytes(request.user, file_source(request.user), form.read(), snapshot=False)
    except CalendarFileError as error:
        return _hub(request, form=form, error=f"Nothing was imported. {error}")
    _report(request, summary)
    return redirect("calendar_review")


@dataclass(frozen=True)
class ReviewRow:
    code: str
    when: str
    day: str
    minutes: int
    title: str
    attendees: list[str]
    coachee: str
    how: str
    choice: str


def _rows(request: AuthedRequest) -> tuple[list[ReviewRow], int]:
    pending = to_review(request.user)
    total = pending.count()
    rows = []
    for event in pending[:PAGE]:
        local = timezone.localtime(event.starts_at)
        coachee = str(event.coachee.code) if event.coachee else ""
        rows.append(
            ReviewRow(
                code=str(event.code),
                when=f"{local:%H:%M}",
                day=f"{local:%a %-d %b %Y}",
                minutes=event.duration_minutes,
                title=event.summary or "(no title)",
                attendees=[a for a in event.attendees.split("\n") if a][:6],
                coachee=coachee,
                how=MATCH_WORDS.get(event.matched_by, ""),
                choice="confirm" if coachee else "later",
            )
        )
    return rows, total


def _coachee_options(request: AuthedRequest) -> list[tuple[str, str]]:
    found = Coachee.objects.for_coach(request.user).filter(
        status__in=[Coachee.Status.ACTIVE, Coachee.Status.PAUSED]
    )
    options = [(str(c.code), c.display_name) for c in found]
    return sorted(options, key=lambda pair: pair[1].casefold())


@login_required
@require_http_methods(["GET", "POST"])
def calendar_review(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        outcome = apply_choices(request.user, request.POST)
        messages.success(request, outcome.sentence())
        return redirect("calendar_review")
    rows, total = _rows(request)
    skipped = (
        CalendarEvent.objects.for_coach(request.user)
        .filter(state=CalendarEvent.State.SKIPPED, cancelled=False, starts_at__gte=timezone.now())
        .select_related("source")
        .order_by("starts_at")[:SKIPPED_SHOWN]
    )
    ctx = {
        "skipped": [(e.code, timezone.localtime(e.starts_at), e.summary) for e in skipped],
        "rows": rows,
        "total": total,
        "more": max(total - len(rows), 0),
        "coachees": _coachee_options(request),
        "matched": sum(1 for r in rows if r.coachee),
    }
    return render(request, "diary/review.html", ctx)


@login_required
@require_POST
def feed_add(request: AuthedRequest) -> HttpResponse:
    form = FeedForm(request.POST)
    if not form.is_valid():
        return _hub(request, feed_form=form, error="Paste the private address of your calendar.")
    try:
        url = fetching.normalise(form.cleaned_data["url"])
        data = fetching.fetch(url, allow_private=settings.DEBRIEF_CALENDAR_ALLOW_PRIVATE)
        with transaction.atomic():
            source = CalendarSource.objects.create(
                coach=request.user, kind=CalendarSource.Kind.FEED, url=url
            )
            summary = import_bytes(request.user, source, data, snapshot=True)
            CalendarSource.objects.filter(pk=source.pk).update(
                last_fetched=timezone.now(), last_status=summary.sentence()
            )
    except (fetching.FeedFetchError, CalendarFileError) as error:
        return _hub(request, feed_form=form, error=f"The feed was not added. {error}")
    messages.success(request, "Subscribed: Debrief fetches this calendar every hour.")
    _report(request, summary)
    return redirect("calendar_review")


@login_required
@require_POST
def feed_fetch(request: AuthedRequest, code: UUID) -> HttpResponse:
    source = get_feed_for_user(request, code)
    summary = sync_feed(source)
    if summary is None:
        source.refresh_from_db()
        messages.error(request, f"The feed could not be fetched. {source.last_status}")
        return redirect("calendar")
    _report(request, summary)
    return redirect("calendar_review")


@login_required
@require_POST
def feed_remove(request: AuthedRequest, code: UUID) -> HttpResponse:
    source = get_feed_for_user(request, code)
    with transaction.atomic():
        # Confirmed sessions stay (their event row goes, the session does not).
        source.delete()
    messages.success(
        request,
        "Unsubscribed. Sessions you confirmed from it are kept; events still to review are gone.",
    )
    return redirect("calendar")


@login_required
@require_POST
def event_restore(request: AuthedRequest, code: UUID) -> HttpResponse:
    event = get_event_for_user(request, code)
    if event.state == CalendarEvent.State.SKIPPED:
        event.state = CalendarEvent.State.PROPOSED
        event.save(update_fields=["state", "updated"])
        messages.success(request, "Back in the list to review.")
    return redirect("calendar_review")


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(f"/calendar/feed/{token}.ics")


@login_required
@require_http_methods(["GET", "POST"])
def feed_out(request: AuthedRequest) -> HttpResponse:
    link = feeds.active_token(request.user)
    initial = {"detail": link.detail if link else FeedToken.Detail.NUMBER}
    form = FeedOutForm(request.POST or None, initial=initial)
    new_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "revoke":
            if feeds.revoke(request.user):
                record(AuditEvent.Action.CALENDAR_LINK_OFF, coach=request.user, request=request)
            messages.success(
                request, "The link is turned off: calendars using it get nothing more."
            )
            return redirect("calendar_feed_out")
        if form.is_valid():
            detail = form.cleaned_data["detail"]
            if action == "detail" and link is not None:
                FeedToken.objects.filter(pk=link.pk).update(detail=detail)
                messages.success(
                    request, "Saved: your calendar shows the change at its next refresh."
                )
                return redirect("calendar_feed_out")
            new_url = _feed_url(request, feeds.new_token(request.user, detail))
            link = feeds.active_token(request.user)
            record(
                AuditEvent.Action.CALENDAR_LINK_MADE,
                coach=request.user,
                request=request,
                detail={"shows": detail},
            )
    ctx = {"form": form, "link": link, "new_url": new_url}
    return render(request, "diary/feed_out.html", ctx)


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """Public (a calendar app has no sign-in): the token is the key, and a wrong one is a 404."""
    found = feeds.find_token(token)
    if found is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        feeds.build_feed(found, base), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="debrief.ics"'
    return response
