from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Case, Count, Max, Min, Sum, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from debrief.accounts.models import User
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.icflog import log as icf
from debrief.icflog.forms import OpeningBalanceForm
from debrief.icflog.models import OpeningBalance, opening_lines
from debrief.journal.models import CoachingSession
from debrief.lib.http import AuthedRequest
from debrief.lib.sheets import XLSX_TYPE, to_xlsx


def _clients(coach: User, names: bool) -> dict[int, icf.Client]:
    """Each coachee as a log client; only listed coachees' names and contacts are opened."""
    listing = dict(Coachee.objects.for_coach(coach).values_list("pk", "icf_log_listing"))
    opened: dict[int, Coachee] = {}
    if names:
        listed = [pk for pk, on in listing.items() if on]
        opened = {c.pk: c for c in Coachee.objects.for_coach(coach).filter(pk__in=listed)}
    clients = {}
    for pk, on in listing.items():
        c = opened.get(pk)
        clients[pk] = icf.Client(pk, c.name if c else "", c.email if c else "", on)
    return clients


def session_facts(coach: User, today: date, *, names: bool = True) -> list[icf.Session]:
    """The coach's sessions up to ``today`` as plain facts, summed in the database.

    Sessions before today come as bundles: one row per client, kind, payment, group size and
    whether they fall in the recent months (so the log can still tell those apart). Today's
    come one by one with their end time, to tell whether each is held yet. Names are opened
    only with ``names`` (the progress pages need none).
    """
    clients = _clients(coach, names)
    sessions = CoachingSession.objects.for_coach(coach).held(today)
    recent_from = icf.months_before(today, icf.RECENT_MONTHS)
    recent = Case(When(date__gte=recent_from, then=Value(True)), default=Value(False))
    bundles = (
        sessions.filter(date__lt=today)
        .annotate(recent=recent)
        .values("coachee_id", "payment", "kind", "group_size", "recent")
        .annotate(first=Min("date"), last=Max("date"), minutes=Sum("duration_minutes"))
        .annotate(count=Count("id"))
        .order_by()
    )
    facts = []
    for b in bundles:
        group = b["kind"] == CoachingSession.Kind.GROUP
        facts.append(
            icf.Session(
                client=clients[b["coachee_id"]],
                date=b["first"],
                minutes=b["minutes"],
                paid=b["payment"] == CoachingSession.Payment.PAID,
                group=group,
                group_size=b["group_size"] if group else None,
                last=b["last"],
                count=b["count"],
            )
        )
    zone = timezone.get_current_timezone()
    todays = sessions.filter(date=today).values_list(
        "coachee_id", "start_time", "duration_minutes", "payment", "kind", "group_size"
    )
    for coachee_id, start, minutes, payment, kind, size in todays:
        group = kind == CoachingSession.Kind.GROUP
        ends = None
        if start is not None:
            ends = timezone.make_aware(datetime.combine(today, start), zone)
            ends += timedelta(minutes=minutes)
        facts.append(
            icf.Session(
                client=clients[coachee_id],
                date=today,
                minutes=minutes,
                paid=payment == CoachingSession.Payment.PAID,
                group=group,
                group_size=size if group else None,
                ends=ends,
            )
        )
    return facts


def opening_of(coach: User) -> icf.Opening:
    """The hours before Debrief: rows per client, and clients not listed by name."""
    return icf.opening_of_lines(opening_lines(coach))


def log_for(coach: User, facts: list[icf.Session] | None = None) -> icf.Log:
    """The coach's ICF log as of now: a session later today is not held yet."""
    today = timezone.localdate()
    if facts is None:
        facts = session_facts(coach, today)
    return icf.build_log(facts, opening_of(coach), today, timezone.now())


def _log_for(request: AuthedRequest) -> icf.Log:
    return log_for(request.user)


def _render_page(request: AuthedRequest, form: OpeningBalanceForm) -> HttpResponse:
    ctx: dict[str, Any] = {"log": _log_for(request), "form": form}
    return render(request, "icflog/log.html", ctx)


def _unnamed(coach: User) -> list[OpeningBalance]:
    """The rows of clients not listed by name (the form's), one unless a sheet had several."""
    return [r for r in OpeningBalance.objects.for_coach(coach).filter(client="").order_by("pk")]


def _blank_form(request: AuthedRequest) -> OpeningBalanceForm:
    rows = _unnamed(request.user)
    initial: dict[str, object] = {
        # "40", never "4E+1" as Decimal.normalize() would show 40 hours
        "paid_hours": f"{sum((r.paid_hours for r in rows), Decimal(0)).normalize():f}",
        "pro_bono_hours": f"{sum((r.pro_bono_hours for r in rows), Decimal(0)).normalize():f}",
        "clients": sum(r.clients for r in rows),
    }
    return OpeningBalanceForm(initial=initial)


def _save_unnamed(coach: User, data: dict[str, Any]) -> None:
    """The form's figures become the one row of clients not listed by name."""
    with transaction.atomic():
        rows = _unnamed(coach)
        for extra in rows[1:]:
            extra.delete()
        row = rows[0] if rows else OpeningBalance(coach=coach)
        row.paid_hours = data["paid_hours"]
        row.pro_bono_hours = data["pro_bono_hours"]
        row.clients = data["clients"]
        if row.pk and not (row.paid_hours or row.pro_bono_hours or row.clients):
            row.delete()
        elif row.pk or row.paid_hours or row.pro_bono_hours or row.clients:
            row.save()


@login_required
@require_GET
def icf_log(request: AuthedRequest) -> HttpResponse:
    return _render_page(request, _blank_form(request))


@login_required
@require_POST
def icf_opening_balance(request: AuthedRequest) -> HttpResponse:
    form = OpeningBalanceForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Your hours before Debrief were not saved. Check the numbers below."
        )
        return _render_page(request, form)
    _save_unnamed(request.user, form.cleaned_data)
    messages.success(request, "Your hours before Debrief were saved.")
    return redirect("icf_log")


def download(
    request: AuthedRequest, body: bytes | str, content_type: str, filename: str, what: str
) -> HttpResponse:
    """A file for the coach to keep, on the security trail like every export."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    # The file holds clients' names and contacts, so it is on the security trail like exports.
    record(AuditEvent.Action.EXPORT, coach=request.user, request=request, detail={"format": what})
    return response


@login_required
@require_GET
def icf_log_csv(request: AuthedRequest) -> HttpResponse:
    log = _log_for(request)
    filename = f"debrief-icf-log-{timezone.localdate():%Y-%m-%d}.csv"
    return download(request, icf.log_csv(log), "text/csv; charset=utf-8", filename, "icf-log-csv")


@login_required
@require_GET
def icf_log_xlsx(request: AuthedRequest) -> HttpResponse:
    log = _log_for(request)
    filename = f"debrief-icf-log-{timezone.localdate():%Y-%m-%d}.xlsx"
    return download(request, to_xlsx([icf.sheet(log)]), XLSX_TYPE, filename, "icf-log-xlsx")
