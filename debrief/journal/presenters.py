"""Shape a reflection for its templates: sections of prompts with their values and states.

Each prompt's view comes from its answer kind (``kind.view``), rendered with the kind's own
edit or read template; what earlier sessions hand to this one (actions to review, last
time's plans) is shaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from debrief.followup.carry import LastTime
from debrief.followup.models import ActionItem, ActionReview
from debrief.journal.answers.base import PromptView, kind_of
from debrief.journal.fields import Conflict, FieldView, field_hash
from debrief.journal.reflection import Snapshot
from debrief.prompts.definition import Section


@dataclass
class PageState:
    """The page being built: the stored snapshot, and what a refused save posted."""

    snap: Snapshot
    submitted: QueryDict | None = None
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)

    def value(self, name: str) -> tuple[str, str]:
        """The value to show (what the coach typed, after a refused save) and its base hash."""
        stored = self.snap.values.get(name, "")
        if self.submitted is not None and name in self.submitted:
            return self.submitted.get(name, ""), self.submitted.get(
                f"base:{name}", field_hash(stored)
            )
        return stored, field_hash(stored)

    def field(self, name: str) -> FieldView:
        value, base = self.value(name)
        return FieldView(name, value, base, self.errors.get(name, ""), self.conflicts.get(name))

    def error(self, name: str) -> str:
        return self.errors.get(name, "")


@dataclass
class CarryRow:
    action: ActionItem
    review: ActionReview | None
    choice: FieldView
    note: FieldView

    @property
    def conflicts(self) -> list[Conflict]:
        return [f.conflict for f in (self.choice, self.note) if f.conflict]


@dataclass
class LastTimeView:
    item: LastTime
    answer: FieldView


@dataclass
class FollowThrough:
    """What the previous sessions hand to this one, shown where the coach prepares."""

    carried: list[CarryRow]
    last_time: list[LastTimeView]
    choices = (*ActionReview.Choice.choices, ("", "Not reviewed yet"))

    @property
    def is_empty(self) -> bool:
        return not self.carried and not self.last_time

    @property
    def reviewed(self) -> list[CarryRow]:
        return [row for row in self.carried if row.review is not None]

    @property
    def answered(self) -> list[LastTimeView]:
        return [view for view in self.last_time if view.answer.value]


@dataclass
class GroupView:
    title: str
    prompts: list[PromptView]

    @property
    def answered(self) -> list[PromptView]:
        return [p for p in self.prompts if not p.is_empty]


@dataclass
class SectionView:
    section: Section
    groups: list[GroupView]
    follow_through: FollowThrough | None = None

    @property
    def is_empty(self) -> bool:
        if self.follow_through and (self.follow_through.reviewed or self.follow_through.answered):
            return False
        return all(p.is_empty for g in self.groups for p in g.prompts if p.asks)


def follow_through(page: PageState) -> FollowThrough:
    snap = page.snap
    carried = [
        CarryRow(
            action=action,
            review=snap.reviews.get(code),
            choice=page.field(f"r-{code}-choice"),
            note=page.field(f"r-{code}-note"),
        )
        for code, action in snap.carried.items()
    ]
    last_time = [LastTimeView(item, page.field(f"lt-{item.key}")) for item in snap.last_time]
    return FollowThrough(carried, last_time)


def build_sections(
    snap: Snapshot,
    submitted: QueryDict | None = None,
    errors: dict[str, str] | None = None,
    conflicts: list[Conflict] | None = None,
) -> list[SectionView]:
    page = PageState(snap, submitted, errors or {}, {c.field: c for c in conflicts or []})
    views = [
        SectionView(
            section=section,
            groups=[
                GroupView(
                    title=group.title,
                    prompts=[kind_of(p).view(p, page) for p in group.prompts],
                )
                for group in section.groups
            ],
        )
        for section in snap.definition.sections
    ]
    # Earlier actions and last time's plans come back where the coach prepares: the first
    # "before the session" section, or the first section after the session facts.
    home = next((v for v in views if v.section.phase == "pre"), None)
    home = home or next((v for v in views if v.section.phase != "info"), None)
    if home is not None:
        home.follow_through = follow_through(page)
    return views


def prompt_view(snap: Snapshot, prompt_key: str) -> PromptView:
    """One prompt's view as stored (autosave sends a changed action list back with it)."""
    prompt = snap.definition.by_key[prompt_key]
    return kind_of(prompt).view(prompt, PageState(snap))


def progress(sections: list[SectionView]) -> dict[str, Any]:
    answerable = [p for s in sections for g in s.groups for p in g.prompts if p.counts]
    answered = [p for p in answerable if not p.is_empty]
    return {"answered": len(answered), "total": len(answerable)}
