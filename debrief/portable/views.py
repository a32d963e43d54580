from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.exchange.reauth import needs_reauthentication, reauthenticate_then
from debrief.icflog.facts import opening_of
from debrief.lib.http import AuthedRequest
from debrief.lib.sheets import XLSX_TYPE, to_csv, to_xlsx
from debrief.portable import format as journal_format
from debrief.portable import sheet_read
from debrief.portable.journal_check import JournalFileError, read_journal
from debrief.portable.journal_in import account_holdings, import_journal, not_empty_message
from debrief.portable.journal_out import journal_chunks
from debrief.portable.past import SESSION_COLUMNS, Plan, opening_total, plan_for
from debrief.portable.past_write import (
    known_coachees,
    template_sheet,
    write_opening,
    write_sessions,
)
from debrief.portable.upload import bounded_upload, too_large

# The checked sheet travels from the preview to the confirmation in the page itself, signed
# (so it cannot be changed on the way) and compressed: never kept in a file or the session.
_SALT = "debrief.portable.sheet"
PAYLOAD_LIMIT = 2 * 1024 * 1024  # below Django's DATA_UPLOAD_MAX_MEMORY_SIZE


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _journal_page(request: AuthedRequest, **extra: Any) -> HttpResponse:
    ctx: dict[str, Any] = {
        "holdings": account_holdings(request.user),
        "max_mb": journal_format.MAX_BYTES // (1024 * 1024),
        "version": journal_format.VERSION,
        "error": None,
        **extra,
    }
    return render(request, "portable/journal.html", ctx)


@login_required
@require_GET
def journal(request: AuthedRequest) -> HttpResponse:
    return _journal_page(request)


@login_required
@require_GET
def journal_export(request: AuthedRequest) -> HttpResponseBase:
    if needs_reauthentication(request):
        return reauthenticate_then(request, reverse("journal_move"))
    record(
        AuditEvent.Action.EXPORT,
        coach=request.user,
        request=request,
        detail={"format": "journal-json", "version": journal_format.VERSION},
    )
    response = StreamingHttpResponse(
        journal_chunks(request.user), content_type="application/json; charset=utf-8"
    )
    filename = f"debrief-journal-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@bounded_upload(lambda: journal_format.MAX_BYTES)
def journal_import(request: AuthedRequest) -> HttpResponse:
    held = account_holdings(request.user)
    if held:
        return _journal_page(request, error=JournalFileError(not_empty_message(held)))
    upload = request.FILES.get("file")
    if too_large(request):
        limit = _size(journal_format.MAX_BYTES)
        message = f"The file is over {limit}, more than any journal Debrief writes."
        return _journal_page(request, error=JournalFileError(message))
    if upload is None:
        return _journal_page(request, error=JournalFileError("Choose the journal file first."))
    try:
        done = import_journal(request.user, read_journal(upload.read()))
    except JournalFileError as error:
        return _journal_page(request, error=error)
    messages.success(
        request,
        f"Your journal is here: {_count(done.coachees, 'coachee')} and "
        f"{_count(done.sessions, 'session')}.",
    )
    return redirect("coachee_list")


# ---- past sessions from a spreadsheet ----------------------------------------------------


def _sheet_page(request: AuthedRequest, status: int = 200, **extra: Any) -> HttpResponse:
    ctx: dict[str, Any] = {
        "columns": SESSION_COLUMNS,
        "max_mb": sheet_read.MAX_BYTES // (1024 * 1024),
        "max_rows": sheet_read.MAX_ROWS,
        "error": "",
        **extra,
    }
    return render(request, "portable/sheet.html", ctx, status=status)


@login_required
@require_GET
def sheet(request: AuthedRequest) -> HttpResponse:
    return _sheet_page(request)


@login_required
@require_GET
def sheet_template_csv(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + to_csv(template_sheet()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="debrief-past-sessions.csv"'
    return response


@login_required
@require_GET
def sheet_template_xlsx(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(to_xlsx([template_sheet()]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="debrief-past-sessions.xlsx"'
    return response


def _payload(table: sheet_read.Table, request: AuthedRequest) -> str:
    rows = [[str(c) for c in r] for r in table.rows]
    data = {"h": table.header, "r": rows, "s": table.source, "n": table.notes}
    return signing.dumps(data, salt=f"{_SALT}.{request.user.pk}", compress=True)


def _unpack(token: str, request: AuthedRequest) -> sheet_read.Table | None:
    try:
        data = signing.loads(token, salt=f"{_SALT}.{request.user.pk}", max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return sheet_read.Table(data["h"], data["r"], data["s"], data["n"])


def _plan(request: AuthedRequest, table: sheet_read.Table) -> Plan:
    return plan_for(table, timezone.localdate(), known_coachees(request.user))


def _plain(value: Decimal) -> str:
    """Hours as typed: 74.5, 12.25, 20."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def _shown(o: Any) -> dict[str, str]:
    return {
        "paid_hours": _plain(o.paid_hours),
        "pro_bono_hours": _plain(o.pro_bono_hours),
        "clients": f"{o.clients:,}",
    }


def _shown_opening(plan: Plan) -> dict[str, str] | None:
    if plan.kind != "opening" or not plan.ok:
        return None
    return _shown(opening_total(plan.rows))


def _preview(request: AuthedRequest, table: sheet_read.Table, plan: Plan) -> HttpResponse:
    token = _payload(table, request) if plan.ok else ""
    if len(token) > PAYLOAD_LIMIT:
        return _sheet_page(request, error="The sheet holds too much to preview at once. Split it.")
    ctx: dict[str, Any] = {
        "plan": plan,
        "table": table,
        "token": token,
        "shown": plan.rows[:500],
        "total": _shown_opening(plan),
        "current": _shown(opening_of(request.user)),
        "minutes": sum(r.minutes for r in plan.rows) if plan.kind == "sessions" else 0,
    }
    return render(request, "portable/preview.html", ctx)


@login_required
@require_POST
@bounded_upload(lambda: sheet_read.MAX_BYTES)
def sheet_preview(request: AuthedRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if too_large(request):
        return _sheet_page(request, error=sheet_read.too_large_message())
    if upload is None:
        return _sheet_page(request, error="Choose a CSV or Excel file first.")
    try:
        table = sheet_read.read_table(upload.read())
    except sheet_read.SheetError as error:
        return _sheet_page(request, error=str(error))
    return _preview(request, table, _plan(request, table))


@login_required
@require_POST
def sheet_confirm(request: AuthedRequest) -> HttpResponse:
    table = _unpack(request.POST.get("sheet", ""), request)
    if table is None:
        return _sheet_page(request, error="That preview has expired. Upload the file again.")
    plan = _plan(request, table)
    if not plan.ok:  # the journal changed since the preview (a coachee renamed...)
        return _preview(request, table, plan)
    if plan.kind == "opening":
        total = write_opening(request.user, plan.rows)
        messages.success(
            request,
            f"Your hours before Debrief are now {total.paid_hours.normalize():f} paid and "
            f"{total.pro_bono_hours.normalize():f} pro bono, with {total.clients} clients.",
        )
        return redirect("icf_log")
    written = write_sessions(request.user, plan.rows)
    added = ""
    if written.coachees:
        added = f", with {_count(written.coachees, 'new coachee')}"
    messages.success(
        request,
        f"{_count(written.sessions, 'past session')} imported{added}. "
        "Your ICF log and hours include them.",
    )
    return redirect("icf_log")
