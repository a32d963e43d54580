"""Shape a reflection for its templates: sections of prompts with their values and states."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from debrief.followup.carry import LastTime
from debrief.followup.models import ActionItem, ActionReview, Goal
from debrief.journal import kinds
from debrief.journal.models import CoachingSession
from debrief.journal.reflection import Conflict, Snapshot, field_hash
from debrief.prompts.definition import Prompt, Section
from debrief.techniques import answers as technique_answers
from debrief.techniques.models import Technique


@dataclass
class ActionRow:
    action: ActionItem
    text: str
    due: str
    status: str
    names: dict[str, str]
    bases: dict[str, str]
    errors: dict[str, str]


@dataclass
class TechniqueRow:
    """One technique offered by a ``techniques`` prompt: ticked, how effective, a note."""

    technique: Technique
    names: dict[str, str]
    values: dict[str, str]
    bases: dict[str, str]
    errors: dict[str, str]
    conflict: Conflict | None = None

    @property
    def used(self) -> bool:
        return bool(self.values["used"])


@dataclass
class FieldView:
    """One named form field: what to show, its base hash, and any error or conflict."""

    name: str
    value: str
    base: str
    error: str = ""
    conflict: Conflict | None = None

    @property
    def shown_base(self) -> str:
        # After a conflict, saving again means "keep mine": the base becomes the stored value.
        return self.conflict.theirs_hash if self.conflict else self.base


@dataclass
class CarryRow:
    action: ActionItem
    review: ActionReview | None
    choice: FieldView
    note: FieldView


@dataclass
class LastTimeView:
    item: LastTime
    answer: FieldView


@dataclass
class GoalRow:
    goal: Goal
    score: FieldView
    note: FieldView
    previous: int | None = None

    scale = range(0, 11)

    @property
    def is_empty(self) -> bool:
        return not self.score.value and not self.note.value


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
class PromptView:
    prompt: Prompt
    name: str = ""
    value: str = ""
    base: str = ""
    error: str = ""
    conflict: Conflict | None = None
    rating_name: str = ""
    rating_value: str = ""
    rating_base: str = ""
    rating_error: str = ""
    fact: str = ""
    actions: list[ActionRow] = field(default_factory=list)
    new_text: str = ""
    new_due: str = ""
    new_error: str = ""
    goals: list[GoalRow] = field(default_factory=list)
    choices: list[tuple[str, bool]] = field(default_factory=list)
    techniques: list[TechniqueRow] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.prompt.kind

    @property
    def display(self) -> str:
        return kinds.display(self.prompt, self.value)

    @property
    def used_techniques(self) -> list[TechniqueRow]:
        return [t for t in self.techniques if t.used]

    @property
    def is_empty(self) -> bool:
        if self.kind == "actions":
            return not self.actions
        if self.kind == "techniques":
            return not self.used_techniques
        if self.kind == "goal_progress":
            return all(row.is_empty for row in self.goals)
        return not self.value and not self.rating_value

    @property
    def scored_goals(self) -> list[GoalRow]:
        return [row for row in self.goals if not row.is_empty]


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
        return all(p.is_empty for g in self.groups for p in g.prompts if p.kind != "session")


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


def _value(name: str, snap: Snapshot, submitted: QueryDict | None) -> tuple[str, str]:
    """The value to show (what the coach typed, after a refused save) and its base hash."""
    stored = snap.values.get(name, "")
    if submitted is not None and name in submitted:
        return submitted.get(name, ""), submitted.get(f"base:{name}", field_hash(stored))
    return stored, field_hash(stored)


def _action_rows(
    prompt: Prompt, snap: Snapshot, submitted: QueryDict | None, errors: dict[str, str]
) -> list[ActionRow]:
    rows = []
    for action in snap.actions_for(prompt):
        names = {part: f"a-{action.code}-{part}" for part in ("text", "due", "status")}
        values, bases = {}, {}
        for part, name in names.items():
            values[part], bases[part] = _value(name, snap, submitted)
        rows.append(
            ActionRow(
                action=action,
                text=values["text"],
                due=values["due"],
                status=values["status"],
                names=names,
                bases=bases,
                errors={p: errors[n] for p, n in names.items() if n in errors},
            )
        )
    return rows


def _technique_rows(
    prompt: Prompt,
    snap: Snapshot,
    submitted: QueryDict | None,
    errors: dict[str, str],
    conflicts: dict[str, Conflict],
) -> list[TechniqueRow]:
    rows = []
    for code, technique in sorted(snap.techniques.items(), key=lambda t: t[1].name.casefold()):
        names = {
            part: technique_answers.field_name(prompt.key, code, part)
            for part in technique_answers.PARTS
        }
        values, bases = {}, {}
        for part, name in names.items():
            values[part], bases[part] = _value(name, snap, submitted)
            if name in conflicts:  # saving again keeps the coach's version
                bases[part] = conflicts[name].theirs_hash
        found = [conflicts[n] for n in names.values() if n in conflicts]
        rows.append(
            TechniqueRow(
                technique=technique,
                names=names,
                values=values,
                bases=bases,
                errors={p: errors[n] for p, n in names.items() if n in errors},
                conflict=found[0] if found else None,
            )
        )
    return rows


def _field(
    name: str,
    snap: Snapshot,
    submitted: QueryDict | None,
    errors: dict[str, str],
    conflicts: dict[str, Conflict],
) -> FieldView:
    value, base = _value(name, snap, submitted)
    return FieldView(name, value, base, errors.get(name, ""), conflicts.get(name))


def _goal_rows(
    snap: Snapshot,
    submitted: QueryDict | None,
    errors: dict[str, str],
    conflicts: dict[str, Conflict],
) -> list[GoalRow]:
    rows = []
    for code, goal in snap.goals.items():
        score = _field(f"g-{code}-score", snap, submitted, errors, conflicts)
        note = _field(f"g-{code}-note", snap, submitted, errors, conflicts)
        rows.append(GoalRow(goal, score, note, snap.previous_scores.get(code)))
    return rows


def follow_through(
    snap: Snapshot,
    submitted: QueryDict | None = None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, Conflict] | None = None,
) -> FollowThrough:
    errors, conflicts = errors or {}, conflicts or {}
    carried = [
        CarryRow(
            action=action,
            review=snap.reviews.get(code),
            choice=_field(f"r-{code}-choice", snap, submitted, errors, conflicts),
            note=_field(f"r-{code}-note", snap, submitted, errors, conflicts),
        )
        for code, action in snap.carried.items()
    ]
    last_time = [
        LastTimeView(item, _field(f"lt-{item.key}", snap, submitted, errors, conflicts))
        for item in snap.last_time
    ]
    return FollowThrough(carried, last_time)


def _prompt_view(
    prompt: Prompt,
    snap: Snapshot,
    submitted: QueryDict | None,
    errors: dict[str, str],
    conflicts: dict[str, Conflict],
) -> PromptView:
    view = PromptView(prompt=prompt)
    if prompt.kind == "session":
        view.fact = session_fact(snap.reflection.session, prompt.fact)
        return view
    if prompt.kind == "goal_progress":
        view.goals = _goal_rows(snap, submitted, errors, conflicts)
        return view
    if prompt.kind == "actions":
        view.actions = _action_rows(prompt, snap, submitted, errors)
        new_text = f"new-{prompt.key}-text"
        if submitted is not None and new_text in errors:
            view.new_text = submitted.get(new_text, "")
            view.new_due = submitted.get(f"new-{prompt.key}-due", "")
        view.new_error = errors.get(new_text, "") or errors.get(f"new-{prompt.key}-due", "")
        return view
    if prompt.kind == "techniques":
        view.techniques = _technique_rows(prompt, snap, submitted, errors, conflicts)
        return view
    view.name = f"p-{prompt.key}"
    view.value, view.base = _value(view.name, snap, submitted)
    if prompt.kind in ("single_choice", "multiple_choice"):
        chosen = set(view.value.split("\n"))
        view.choices = [(option, option in chosen) for option in prompt.options]
    view.error = errors.get(view.name, "")
    view.conflict = conflicts.get(view.name)
    if prompt.kind == "rating":
        view.rating_name = f"p-{prompt.key}-rating"
        view.rating_value, view.rating_base = _value(view.rating_name, snap, submitted)
        view.rating_error = errors.get(view.rating_name, "")
        view.conflict = view.conflict or conflicts.get(view.rating_name)
    return view


def build_sections(
    snap: Snapshot,
    submitted: QueryDict | None = None,
    errors: dict[str, str] | None = None,
    conflicts: list[Conflict] | None = None,
) -> list[SectionView]:
    errors = errors or {}
    by_field = {c.field: c for c in conflicts or []}
    views = [
        SectionView(
            section=section,
            groups=[
                GroupView(
                    title=group.title,
                    prompts=[
                        _prompt_view(p, snap, submitted, errors, by_field) for p in group.prompts
                    ],
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
        home.follow_through = follow_through(snap, submitted, errors, by_field)
    return views


def actions_section(snap: Snapshot, prompt_key: str) -> PromptView:
    prompt = snap.definition.by_key[prompt_key]
    return _prompt_view(prompt, snap, None, {}, {})


def progress(sections: list[SectionView]) -> dict[str, Any]:
    answerable = [
        p
        for s in sections
        for g in s.groups
        for p in g.prompts
        if p.kind != "session" and not (p.kind == "goal_progress" and not p.goals)
    ]
    answered = [p for p in answerable if not p.is_empty]
    return {"answered": len(answered), "total": len(answerable)}
