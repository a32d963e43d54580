"""The coachee page's two long lists, its timeline and its open actions, written here.

A long engagement shows 25 sessions (every one after "Show all") and dozens of open actions.
In the template each row's values were a lookup and an escape apiece, and the two loops were
about a third of the page's template time (``python -m bench.template_time``). Here each row
is formatted once in Python, then written with the markup the template loops wrote, byte for
byte: ``tests/test_coachee_lists.py`` renders those loops and compares. Every value shown goes
through ``escape`` (an action's text is coachee text): the standard library's, which Django's
own ``escape`` wraps, so the HTML is the template's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from debrief.followup.models import ActionItem
from debrief.journal.home import link
from debrief.journal.models import CoachingSession


@dataclass(frozen=True)
class TimelineRow:
    """One session on a coachee's timeline (numbers as text, as the page shows them)."""

    number: str
    url: str
    when: str
    meta: str
    status: str
    status_label: str


def timeline_rows(sessions: list[CoachingSession]) -> list[TimelineRow]:
    view_prefix, edit_prefix = link("reflection_view"), link("reflection_edit")
    rows = []
    for s in sessions:
        status = s.reflection.status
        when = s.date.strftime("%a %-d %b %Y")
        if s.start_time:
            when += s.start_time.strftime(", %H:%M")
        meta = [f"{s.duration_minutes} min", s.get_format_display()]
        if s.payment == CoachingSession.Payment.PRO_BONO:
            meta.append("Pro bono")
        if s.kind == CoachingSession.Kind.GROUP:
            meta.append(f"Group of {s.group_size}")
        if s.cancelled:
            meta.append("Cancelled in your calendar")
        template = view_prefix if status == "complete" else edit_prefix
        rows.append(
            TimelineRow(
                number=str(s.number),
                url=template.format(s.code),
                when=when,
                meta=" · ".join(meta),
                status=status,
                status_label=s.reflection.get_status_display(),
            )
        )
    return rows


def _session(s: TimelineRow) -> str:
    return (
        '\n    <li class="timeline-item">\n'
        f'      <a class="session-link" href="{escape(s.url)}">\n'
        f'        <span class="session-who">Session {escape(s.number)}</span>\n'
        f'        <span class="session-meta">{escape(s.when)} · {escape(s.meta)}</span>\n'
        "      </a>\n"
        f'      <span class="badge badge-{escape(s.status)}">{escape(s.status_label)}</span>\n'
        "    </li>\n    "
    )


def timeline_html(rows: list[TimelineRow]) -> SafeString:
    """The timeline's list items, newest first."""
    return mark_safe("".join(_session(s) for s in rows))  # noqa: S308 - each value escaped


@dataclass(frozen=True)
class ActionRow:
    """One open action on a coachee's page (numbers as text, as the page shows them)."""

    text: str
    status_url: str
    session_url: str
    session_number: str
    due: str
    overdue: bool


def action_rows(actions: list[ActionItem], today: date) -> list[ActionRow]:
    status, view = link("action_status"), link("reflection_view")
    return [
        ActionRow(
            text=a.text,
            status_url=status.format(a.code),
            session_url=view.format(a.session.code),
            session_number=str(a.session.number),
            due=f"{a.due:%-d %b}" if a.due else "",
            overdue=a.due is not None and a.due < today,  # the list holds open actions only
        )
        for a in actions
    ]


def _action(a: ActionRow, hidden: str) -> str:
    text = escape(a.text)
    due = ""
    if a.due:
        due = f" · {'<strong>overdue</strong>, was ' if a.overdue else ''}due {escape(a.due)}"
    return (
        f'\n  <li class="open-action{" overdue" if a.overdue else ""}">\n'
        f'    <span class="open-action-text">{text}</span>\n'
        f'    <span class="muted">From <a href="{escape(a.session_url)}">'
        f"session {escape(a.session_number)}</a>{due}</span>\n"
        f'    <form method="post" action="{escape(a.status_url)}" class="inline-form">\n'
        f"{hidden}"
        '      <button type="submit" class="button button-small button-secondary" name="status"'
        f' value="done">Mark done<span class="visually-hidden">: {text}</span></button>\n'
        "    </form>\n"
        "  </li>\n  "
    )


def actions_html(rows: list[ActionRow], csrf_input: SafeString, path: str) -> SafeString:
    """The open actions' list items, each with its form to mark it done and come back here.

    ``csrf_input`` is the hidden CSRF field, rendered once for every form of the page.
    """
    hidden = f'      {csrf_input}\n      <input type="hidden" name="next" value="{escape(path)}">\n'
    return mark_safe("".join(_action(a, hidden) for a in rows))  # noqa: S308 - each value escaped
