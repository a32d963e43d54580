"""Tables written as CSV and XLSX, with cells a spreadsheet can never run as formulas.

A ``Sheet`` is a title, a header row and rows of plain values (text, whole numbers, decimals,
dates). CSV cells that a spreadsheet would read as a formula get a leading quote; XLSX cells are
typed (numbers as numbers, dates as dates) and every text cell is stored as text, so a value
such as ``=HYPERLINK(...)`` shows as written and never runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Cell = str | int | Decimal | date | None

# A spreadsheet reads a cell starting with one of these as a formula (or strips it into one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on a sheet's title; titles also may not hold these characters.
_TITLE_LIMIT = 31
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Sheet:
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    widths: tuple[int, ...] = ()  # column widths in characters, for the XLSX


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would run as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralise(str(cell))


def to_csv(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_text(c) for c in sheet.header])
    for row in sheet.rows:
        writer.writerow([_text(c) for c in row])
    return out.getvalue()


def _safe_title(title: str) -> str:
    return title.translate(_TITLE_FORBIDDEN).strip()[:_TITLE_LIMIT] or "Sheet"


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One workbook, a worksheet per sheet, header in bold and frozen."""
    from openpyxl import Workbook  # imported here: only the downloads need it
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(_safe_title(sheet.title))
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([None if c is None else c for c in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: never a formula
        ws.freeze_panes = "A2"
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
