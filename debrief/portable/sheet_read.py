"""A spreadsheet's bytes (CSV or XLSX) as a grid of text cells, with every bound checked.

Nothing here runs or evaluates a formula: an XLSX is read with formulas as written, and a
cell holding one comes back as ``Formula`` for the caller to flag. CSV is read as Excel and
LibreOffice write it: UTF-8 with or without a byte-order mark, UTF-16 with one, or
Windows-1252 (Excel's "CSV" on a Western European Windows); commas, semicolons (European
exports) or tabs; CRLF or LF line ends.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

MAX_BYTES = 5 * 1024 * 1024  # an upload past this is refused before it is read
MAX_ROWS = 5_000
MAX_COLUMNS = 40
MAX_CELL = 50_000  # characters in one cell (a long reflection note)
# An XLSX is a zip of XML: bound what it unpacks to, so a zip bomb is refused unopened.
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_RATIO = 200  # real sheets compress 5-20 times; a bomb, thousands
MAX_PARTS = 500


class SheetError(ValueError):
    """The file cannot be read as a table; the message says what to do."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula, kept as written (never evaluated)."""

    text: str

    def __str__(self) -> str:
        return self.text


Cell = str | Formula


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]  # data rows, each as long as the header
    source: str  # "CSV (UTF-8, comma-separated)", "Excel workbook"...
    notes: list[str] = field(default_factory=list)


def read_table(raw: bytes) -> Table:
    if len(raw) > MAX_BYTES:
        raise SheetError(too_large_message())
    if not raw.strip():
        raise SheetError("The file is empty. Choose the spreadsheet with your sessions.")
    if raw.startswith(b"PK\x03\x04"):
        return _xlsx(raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "This is an old Excel file (.xls). Open it and save it as an Excel workbook "
            "(.xlsx) or as CSV, then upload that."
        )
    if raw.startswith(b"%PDF"):
        raise SheetError("This is a PDF, not a spreadsheet. Upload a CSV or .xlsx file.")
    return _csv(raw)


def too_large_message() -> str:
    return (
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Save the sheet with only "
        "the columns Debrief asks for, or split it in two."
    )


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    if b"\x00" in raw:
        raise SheetError(
            "The file is not text Debrief can read (it holds zero bytes). In your spreadsheet "
            "program choose Save As, “CSV UTF-8”, and upload that."
        )
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise SheetError(
            f"The file's text encoding is not one Debrief reads (byte {error.start} is not "
            "UTF-8 or Windows-1252). Save it as “CSV UTF-8” and upload it again."
        ) from None


_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(raw: bytes) -> Table:
    text, encoding = _decode(raw)
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = _delimiter(first)
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter, strict=True
    )
    grid: list[list[Cell]] = []
    try:
        for line in reader:
            if len(grid) > MAX_ROWS:
                raise SheetError(_too_many())
            grid.append(list(line))
    except csv.Error as error:
        raise SheetError(
            f"Line {reader.line_num} of the file cannot be read as CSV ({error}). Check for "
            "an unclosed quotation mark."
        ) from None
    source = f"CSV ({encoding}, {_DELIMITERS[delimiter]}-separated)"
    table = _table(grid, source)
    if encoding == "Windows-1252":
        table.notes.append(
            "Read as Windows-1252 (Western European). If names look wrong below, save the "
            "file as “CSV UTF-8” and upload it again."
        )
    return table


def _too_many() -> str:
    return f"The file has more than {MAX_ROWS:,} rows. Split it and import each part."


def _table(grid: list[list[Cell]], source: str) -> Table:
    rows = [r for r in grid if any(str(c).strip() for c in r)]
    if not rows:
        raise SheetError("The file has no rows. Choose the spreadsheet with your sessions.")
    header = [str(c).strip() for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise SheetError(f"The sheet has more than {MAX_COLUMNS} columns. Keep only Debrief's.")
    body = []
    for r in rows[1:]:
        cells = [c if isinstance(c, Formula) else str(c) for c in r]
        if any(len(str(c)) > MAX_CELL for c in cells):
            raise SheetError(
                f"A cell holds more than {MAX_CELL:,} characters. Shorten it and try again."
            )
        body.append((cells + [""] * len(header))[: max(len(header), len(cells))])
    if len(body) > MAX_ROWS:
        raise SheetError(_too_many())
    return Table(header, body, source)


def _check_zip(raw: bytes) -> zipfile.ZipFile:
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise SheetError("The file looks like a workbook but is damaged. Save it again.") from None
    parts = book.infolist()
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise SheetError(
                "This is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV and "
                "upload that."
            )
        raise SheetError("This zip file is not an Excel workbook. Upload a .xlsx or CSV file.")
    unpacked = sum(p.file_size for p in parts)
    packed = max(sum(p.compress_size for p in parts), 1)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNZIPPED or unpacked / packed > MAX_RATIO:
        raise SheetError(
            "The workbook unpacks to far more than a sheet of sessions could hold, so "
            "Debrief did not open it. Save it again from your spreadsheet program, or as CSV."
        )
    for p in parts:
        if p.filename.endswith((".xml", ".rels")):
            with book.open(p) as part:
                prolog = part.read(4096)  # a DOCTYPE can only come before the first element
                if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                    raise SheetError("The workbook declares XML entities, so it was not opened.")
    return book


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_grid(raw: bytes) -> tuple[list[list[Cell]], str, int]:
    from openpyxl import load_workbook  # imported here: only this import needs it

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    sheet = book.worksheets[0]
    grid: list[list[Cell]] = []
    for row in sheet.iter_rows():
        if len(grid) > MAX_ROWS:
            raise SheetError(_too_many())
        cells: list[Cell] = []
        for cell in row[: MAX_COLUMNS + 1]:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", "") == "f" or (
                isinstance(value, str) and value.startswith("=")
            ):
                cells.append(Formula(str(value)))
            else:
                cells.append(_cell_text(value))
        grid.append(cells)
    title, sheets = sheet.title, len(book.worksheets)
    book.close()
    return grid, title, sheets


def _xlsx(raw: bytes) -> Table:
    _check_zip(raw)
    try:
        grid, title, sheets = _xlsx_grid(raw)
    except SheetError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise SheetError("The workbook cannot be opened. Save it again as .xlsx or CSV.") from None
    table = _table(grid, "Excel workbook (.xlsx)")
    if sheets > 1:
        table.notes.append(f"Only the first sheet, “{title}”, was read.")
    return table
