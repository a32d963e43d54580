"""The home page's lists of sessions and actions, written here rather than in the template.

Every list is rows of one shape: a link with who and what, then a badge or a button. In the
template each row's values were a lookup and an escape apiece, about a third of the page's
template time with twenty overdue actions and a week of sessions planned
(``python -m bench.template_time``). Written here with the markup the template loops wrote,
byte for byte: ``tests/test_home_lists.py`` renders those loops and compares. Every value shown
goes through ``escape`` (names and actions are coachee text): the standard library's, which
Django's own ``escape`` wraps, so the HTML is the template's.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from debrief.journal.home import Row
from debrief.journal.waiting import WaitingRow

_COMPLETE = '<span class="badge badge-complete">Complete</span>'


def _row(url: str, who: str, meta: str, end: str) -> str:
    """One list item; ``who``, ``meta`` and ``end`` are HTML already, ``url`` is not."""
    return (
        '\n    <li class="session-row">\n'
        f'      <a class="session-link" href="{escape(url)}">\n'
        f'        <span class="session-who">{who}</span>\n'
        f'        <span class="session-meta">{meta}</span>\n'
        "      </a>\n"
        f"      {end}\n"
        "    </li>\n    "
    )


def _items(rows: Iterable[str]) -> SafeString:
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped where it is written


def _bdi(who: str) -> str:
    return f"<bdi>{escape(who)}</bdi>"


def _today(r: Row) -> str:
    if r.state == "complete":
        end = _COMPLETE
    elif r.state == "reflect":
        end = f'<a class="button button-small" href="{escape(r.url)}">Reflect</a>'
    else:
        end = f'<a class="button button-small button-secondary" href="{escape(r.url)}">Prepare</a>'
    return _row(r.url, _bdi(r.who), escape(r.meta), end)


def today_items(rows: Iterable[Row]) -> SafeString:
    """Today's sessions, each to prepare, to reflect on, or complete."""
    return _items(_today(r) for r in rows)


def _waiting(r: WaitingRow) -> str:
    end = f'<span class="badge badge-{escape(r.status)}">{escape(r.status_label)}</span>'
    return _row(r.url, escape(r.who), escape(r.meta), end)


def waiting_items(rows: Iterable[WaitingRow]) -> SafeString:
    """The sessions waiting for their reflection."""
    return _items(_waiting(r) for r in rows)


def _overdue(r: Row) -> str:
    meta = f"For {_bdi(r.who)} · {escape(r.meta)}"
    return _row(r.url, escape(r.text), meta, '<span class="badge badge-overdue">Overdue</span>')


def overdue_items(rows: Iterable[Row]) -> SafeString:
    """The coach's own overdue actions."""
    return _items(_overdue(r) for r in rows)


def _upcoming(r: Row) -> str:
    end = (
        f'<a class="button button-small button-secondary" href="{escape(r.url)}">Prepare'
        f'<span class="visually-hidden"> session {r.number} with {_bdi(r.who)}</span></a>'
    )
    return _row(r.url, _bdi(r.who), escape(r.meta), end)


def upcoming_items(rows: Iterable[Row]) -> SafeString:
    """The sessions coming up, each with its button to prepare it."""
    return _items(_upcoming(r) for r in rows)


def recent_items(rows: Iterable[Row]) -> SafeString:
    """The sessions most recently completed."""
    return _items(_row(r.url, _bdi(r.who), escape(r.meta), _COMPLETE) for r in rows)
