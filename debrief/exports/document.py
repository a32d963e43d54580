"""One session as an export shows it: the facts, then each answered prompt with its kind.

Built from a ``SessionRecord``; the Markdown and the PDF both render this, so they never
disagree. Like the read view, only answered prompts are listed, and the session facts
(date, coachee, number, duration) are in the heading rather than repeated as answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from debrief.exports.records import SessionRecord
from debrief.followup.models import ActionReview
from debrief.journal.answers.base import AnswerKind, kind_of
from debrief.journal.models import Answer, CoachingSession
from debrief.prompts.definition import Prompt

LAST_TIME_TITLES = {
    "coachee_next_steps": "Next steps planned last time: how it went",
    "improvement_steps": "Steps to enhance future sessions: how it went",
}


@dataclass
class Item:
    prompt: Prompt
    kind: AnswerKind
    value: Any

    @property
    def html(self) -> str:
        return self.kind.as_html(self.prompt, self.value)

    @property
    def markdown(self) -> str:
        return self.kind.as_markdown(self.prompt, self.value)


@dataclass
class Part:
    """A section of the template, with the prompts answered in it."""

    key: str
    title: str
    items: list[Item]


@dataclass
class SessionDoc:
    record: SessionRecord
    parts: list[Part]
    unanswered: int
    last_time: list[tuple[str, str]] = field(default_factory=list)  # (title, how it went)
    reviews: list[ActionReview] = field(default_factory=list)
    others: list[Answer] = field(default_factory=list)
    supervision_note: str = ""

    @property
    def session(self) -> CoachingSession:
        return self.record.session

    @property
    def coachee_name(self) -> str:
        return self.record.coachee_name

    @property
    def template(self) -> str:
        return self.record.reflection.template_version.template.name

    @property
    def template_version(self) -> int:
        return self.record.reflection.template_version.number

    @property
    def heading(self) -> str:
        return f"Session {self.session.number} with {self.coachee_name}"

    @property
    def items(self) -> list[Item]:
        return [item for part in self.parts for item in part.items]


def build(record: SessionRecord, *, leave_out: frozenset[str] = frozenset()) -> SessionDoc:
    """The session's answered prompts by section; sections keyed in ``leave_out`` are left out."""
    parts: list[Part] = []
    unanswered = 0
    for section in record.definition.sections:
        if section.phase == "info" or section.key in leave_out:
            continue
        items = []
        for prompt in section.prompts:
            kind = kind_of(prompt)
            if not kind.asks:
                continue
            value = kind.value(prompt, record)
            if kind.is_empty(prompt, value):
                unanswered += 1
            else:
                items.append(Item(prompt, kind, value))
        if items:
            parts.append(Part(section.key, section.title, items))
    last_time = [
        (LAST_TIME_TITLES.get(key, "Last time's plan: how it went"), text)
        for key, text in record.last_time
    ]
    return SessionDoc(
        record=record,
        parts=parts,
        unanswered=unanswered,
        last_time=last_time,
        reviews=record.reviews,
        others=record.other_answers,
    )
