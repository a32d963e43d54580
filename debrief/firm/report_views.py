"""The administrator's reports page and its CSV downloads."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.firm import reports
from debrief.firm.access import administrator_required
from debrief.firm.report_sheets import coaches_sheet, months_sheet
from debrief.lib.http import AuthedRequest
from debrief.lib.sheets import to_csv

TABLES = {"months": months_sheet, "coaches": coaches_sheet}


def _chosen_month(request: AuthedRequest, report: reports.Report) -> date:
    raw = request.GET.get("month", "")
    if not raw:
        return report.months[-1]
    try:
        chosen = date.fromisoformat(f"{raw}-01")
    except ValueError:
        chosen = None
    if chosen not in report.months:
        messages.error(
            request,
            f"There is no report for “{raw[:20]}”. Choose one of the last "
            f"{len(report.months)} months; this month is shown.",
        )
        return report.months[-1]
    return chosen


@administrator_required
@require_GET
def firm_reports(request: AuthedRequest) -> HttpResponse:
    report = reports.build()
    month = _chosen_month(request, report)
    ctx = {
        "report": report,
        "month": month,
        "firm_rows": [(m, report.firm_month(m), report.other.get(m)) for m in report.months],
        "coach_rows": [(line, line.month(month)) for line in report.coaches],
        "other": report.other.get(month),
        "firm_cell": report.firm_month(month),
    }
    return render(request, "firm/reports.html", ctx)


@administrator_required
@require_GET
def firm_reports_csv(request: AuthedRequest) -> HttpResponse:
    table = request.GET.get("table", "months")
    if table not in TABLES:
        raise Http404
    sheet = TABLES[table](reports.build())
    response = HttpResponse(to_csv(sheet), content_type="text/csv; charset=utf-8")
    filename = f"debrief-firm-{table}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    record(
        AuditEvent.Action.EXPORT,
        coach=request.user,
        request=request,
        detail={"format": f"firm-report-{table}-csv"},
    )
    return response
