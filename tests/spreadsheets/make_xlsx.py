"""Writes the XLSX fixtures with openpyxl (as another program would): run from this folder."""

from __future__ import annotations

from datetime import date, datetime, time

from openpyxl import Workbook


def sessions() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "My sessions"
    ws.append(
        [
            "Date",
            "Start time",
            "Duration (minutes)",
            "Coachee",
            "Paid or pro bono",
            "Individual or group",
            "Group size",
            "Notes",
        ]
    )
    ws.append(
        [
            date(2025, 12, 1),
            time(9, 30),
            60,
            "Amélie Durand",
            "Paid",
            "Individual",
            None,
            "First session",
        ]
    )
    ws.append(
        [
            datetime(2025, 12, 8, 0, 0),
            time(14, 0),
            45.0,
            "Amélie Durand",
            "Paid",
            "Individual",
            None,
            None,
        ]
    )
    ws.append([date(2026, 1, 15), None, 90, "Leadership circle", "Pro bono", "Group", 6, None])
    ws["A2"].number_format = "DD/MM/YYYY"
    book.create_sheet("Notes").append(["ignored"])
    book.save("openpyxl-sessions.xlsx")


def formulas() -> None:
    book = Workbook()
    ws = book.active
    ws.append(["Date", "Duration (minutes)", "Coachee", "Notes"])
    ws.append([date(2025, 12, 1), 60, '=HYPERLINK("https://evil.example/","Click")', "x"])
    ws.append([date(2025, 12, 2), "=30*2", "Amélie Durand", "=cmd|' /C calc'!A0"])
    book.save("formulas.xlsx")


if __name__ == "__main__":
    sessions()
    formulas()
