"""A session fact: the date, coachee, number or duration of the session, shown and not asked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from debrief.journal.answers.base import AnswerKind, Page, PromptView, register
from debrief.journal.models import CoachingSession
from debrief.prompts.definition import Path, Prompt, fail, text_value
from debrief.prompts.kinds import Getter

SESSION_FACTS = ("date", "coachee", "number", "duration")


def session_fact(session: CoachingSession, fact: str) -> str:
    if fact == "date":
        text = session.date.strftime("%A %-d %B %Y")
        if session.start_time:
            text += session.start_time.strftime(", %H:%M")
        return text
    if fact == "coachee":
        return session.coachee.display_name
    if fact == "number":
        return str(session.number)
    minutes = session.duration_minutes
    return f"{minutes} minutes" if minutes != 60 else "60 minutes (1 hour)"


@dataclass
class FactView(PromptView):
    fact: str


@register
class SessionFactKind(AnswerKind):
    name = "session"
    label = "Session fact (shown, not asked)"
    tag = "Session fact"
    menu_order = 0
    choosable = False
    asks = False
    requirable = False
    parts = ()
    attributes = ("fact",)
    answer_field_template = "answers/session/answer_field.html"
    preview_template = "answers/session/preview.html"
    edit_template = "answers/session/edit.html"

    def parse_settings(self, data: Mapping[str, Any], where: str, path: Path) -> dict[str, Any]:
        fact = text_value(data, "fact", where, path)
        if fact not in SESSION_FACTS:
            raise fail(where, f"'fact' must be one of {', '.join(SESSION_FACTS)}.", (*path, "fact"))
        return {"fact": fact}

    def settings_from_form(self, get: Getter, data: QueryDict, prefix: str) -> dict[str, Any]:
        return {"fact": get("fact")}

    def view(self, prompt: Prompt, page: Page) -> FactView:
        return FactView(prompt, self, session_fact(page.snap.session, prompt.fact))

    def value(self, prompt: Prompt, record: Any) -> str:
        return session_fact(record.session, prompt.fact)
