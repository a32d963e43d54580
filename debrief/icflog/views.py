from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.accounts.models import User
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.icflog import log as icf
from debrief.icflog.access import get_opening_row_for_user
from debrief.icflog.facts import log_for
from debrief.icflog.forms import OpeningBalanceForm
from debrief.icflog.models import OpeningBalance, opening_line
from debrief.lib.http import AuthedRequest
from debrief.lib.sheets import XLSX_TYPE, to_xlsx
from debrief.web.downloads import download


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


@login_required
@require_http_methods(["GET", "POST"])
def icf_opening_row_delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    """One row of the log from before Debrief, deleted once the coach confirms (audited)."""
    row = get_opening_row_for_user(request, code)
    if request.method == "POST":
        clients = row.clients
        row.delete()  # its name and contact are shredded with the row's key (models.py)
        record(
            AuditEvent.Action.OPENING_ROW_DELETED,
            coach=request.user,
            request=request,
            subject=str(code),
            detail={"clients": clients},
        )
        messages.success(request, "The row was deleted from your hours before Debrief.")
        return redirect("icf_log")
    ctx = {"row": row, "line": opening_line(row)}
    return render(request, "icflog/opening_row_delete.html", ctx)


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
