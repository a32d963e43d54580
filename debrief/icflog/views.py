from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from debrief.icflog import log as icf
from debrief.icflog.facts import log_for
from debrief.icflog.forms import OpeningBalanceForm
from debrief.icflog.models import OpeningBalance
from debrief.lib.http import AuthedRequest
from debrief.lib.sheets import XLSX_TYPE, to_xlsx
from debrief.web.downloads import download


def _opening_for(request: AuthedRequest) -> OpeningBalance | None:
    return OpeningBalance.objects.for_coach(request.user).first()


def _log_for(request: AuthedRequest) -> icf.Log:
    return log_for(request.user)


def _render_page(request: AuthedRequest, form: OpeningBalanceForm) -> HttpResponse:
    ctx: dict[str, Any] = {"log": _log_for(request), "form": form}
    return render(request, "icflog/log.html", ctx)


def _blank_form(request: AuthedRequest) -> OpeningBalanceForm:
    balance = _opening_for(request)
    initial: dict[str, object] = {"paid_hours": 0, "pro_bono_hours": 0, "clients": 0}
    if balance:
        initial = {
            "paid_hours": balance.paid_hours.normalize(),
            "pro_bono_hours": balance.pro_bono_hours.normalize(),
            "clients": balance.clients,
        }
    return OpeningBalanceForm(initial=initial)


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
    OpeningBalance.objects.update_or_create(
        coach=request.user,
        defaults={
            "paid_hours": form.cleaned_data["paid_hours"],
            "pro_bono_hours": form.cleaned_data["pro_bono_hours"],
            "clients": form.cleaned_data["clients"],
        },
    )
    messages.success(request, "Your hours before Debrief were saved.")
    return redirect("icf_log")


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
