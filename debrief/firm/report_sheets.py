"""The firm's reports as sheets (CSV through ``lib/sheets``): counts only, small groups blank."""

from __future__ import annotations

from decimal import Decimal

from debrief.firm.reports import Cell, Report
from debrief.lib.sheets import Cell as SheetCell
from debrief.lib.sheets import Sheet

MONTH_HEADER = (
    "Month",
    "Coach",
    "Coachees seen",
    "Sessions held",
    "Hours",
    "Reflected within 48 hours (%)",
    "Note",
)


def _figures(cell: Cell) -> tuple[SheetCell, ...]:
    habit = cell.habit_percent
    return (cell.coachees, cell.sessions, Decimal(str(cell.hours)), habit)


def _hidden_note(report: Report) -> str:
    return f"Fewer than {report.min_group} coachees: not shown on its own"


def months_sheet(report: Report) -> Sheet:
    rows: list[tuple[SheetCell, ...]] = []
    for month in report.months:
        label = f"{month:%Y-%m}"
        rows.append((label, "Whole firm", *_figures(report.firm_month(month)), ""))
        pool = report.other.get(month)
        if pool is not None:
            rows.append((label, "Other coaches, together", *_figures(pool), ""))
        for line in report.coaches:
            cell = line.month(month)
            name = str(line.coach)
            if line.hidden or cell.hidden:
                rows.append((label, name, None, None, None, None, _hidden_note(report)))
            else:
                rows.append((label, name, *_figures(cell), ""))
    return Sheet("Firm by month", MONTH_HEADER, rows)


COACH_HEADER = (
    "Coach",
    "Active",
    "Coachees",
    "Open actions",
    "Overdue actions",
    "Credential progress",
    "Note",
)


def coaches_sheet(report: Report) -> Sheet:
    rows: list[tuple[SheetCell, ...]] = []
    for line in report.coaches:
        active = "yes" if line.coach.is_active else "no"
        if line.hidden:
            rows.append((str(line.coach), active, None, None, None, None, _hidden_note(report)))
            continue
        progress = "; ".join(line.credentials)
        rows.append(
            (
                str(line.coach),
                active,
                line.coachees,
                line.actions.open,
                line.actions.overdue,
                progress,
                "",
            )
        )
    firm = report.firm_actions
    rows.append(("Whole firm", "", None, firm.open, firm.overdue, None, ""))
    return Sheet("Coaches today", COACH_HEADER, rows)
