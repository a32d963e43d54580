"""The reflection page's field names, parsed once into typed field references.

Every editable value on the reflection page is a named field:

- ``p-<key>``: the answer to a prompt (text, yes/no, number, choice, a rating's comment);
  ``p-<key>-<part>`` a part of it (``p-<key>-rating``, a rating's score). The prompt's kind
  cleans and writes it.
- ``t-<key>-<technique code>-used`` / ``-rating`` / ``-note``: one technique of a
  ``techniques`` prompt;
- ``a-<code>-text`` / ``-due`` / ``-status``: an existing action item;
- ``new-<key>-text`` (with ``new-<key>-due`` and the box's creation key ``new-<key>-key``): a
  new action item for an ``actions`` prompt;
- ``r-<code>-choice`` / ``-note``: the review, in this session, of an action still open from
  an earlier one (done, carry on, drop; see ``followup.carry``);
- ``lt-<key>``: how last session's plan for ``<key>`` went (the answer ``lt.<key>``);
- ``g-<code>-score`` / ``-note``: progress on one of the coachee's goals, 0-10 with a note.

``parse`` turns a name into a ``Field`` that knows its label, how to read, clean and write
its value, and how a value reads to the coach; ``Field.save`` is the check-and-write every
field goes through (see ``reflection``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import QueryDict

from debrief.followup import carry
from debrief.followup.answers import (
    ACTION_PARTS,
    GOAL_PARTS,
    ActionsKind,
    GoalProgressKind,
    clean_due,
    creation_key,
)
from debrief.followup.models import ActionReview
from debrief.journal.answers.base import AnswerKind, Cleaned, answer_for, clean_text, kind_of
from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from debrief.prompts.definition import Prompt
from debrief.techniques.answers import PART_LABELS, FieldRef, TechniquesKind, parse_name

if TYPE_CHECKING:
    from debrief.journal.reflection import SaveResult, Snapshot

REVIEW_CHOICES = {"", *(c.value for c in ActionReview.Choice)}
REVIEW_LABELS = {**dict(ActionReview.Choice.choices), "": "Not reviewed yet"}
ACTION_PART_LABELS = {"text": "", "due": " (due date)", "status": " (status)"}


def field_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


@dataclass
class Conflict:
    """A field changed in another window since the page was loaded: both versions."""

    field: str
    label: str
    yours: str
    theirs: str
    yours_shown: str = ""  # the two values as the coach reads them (a score as "4 of 5")
    theirs_shown: str = ""

    @property
    def theirs_hash(self) -> str:
        return field_hash(self.theirs)

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "label": self.label,
            "yours": self.yours,
            "theirs": self.theirs,
            "theirs_hash": self.theirs_hash,
        }


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


# --- the fields -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str

    def label(self, snap: Snapshot) -> str:
        return self.name

    def missing(self, snap: Snapshot) -> str | None:
        """Why the field refers to something no longer there, or None when it is there."""
        return None

    def read(self, data: QueryDict) -> str:
        return data.get(self.name, "")

    def clean(self, raw: str) -> Cleaned:
        raise NotImplementedError

    def write(self, snap: Snapshot, value: str) -> None:
        raise NotImplementedError

    def shown(self, value: str) -> str:
        return value

    def changed_actions(self, snap: Snapshot) -> str:
        """The key of the actions prompt whose list a save of this field changed, or ""."""
        return ""

    def save(self, snap: Snapshot, data: QueryDict, result: SaveResult) -> None:
        """Write the posted value if the page's base says it last saw the stored one."""
        if missing := self.missing(snap):
            result.errors[self.name] = missing
            return
        value, error = self.clean(self.read(data))
        if error:
            result.errors[self.name] = error
            return
        stored = snap.values.get(self.name, "")
        base = data.get(f"base:{self.name}", field_hash(""))
        if value == stored:
            result.in_sync.append(self.name)
            return
        if field_hash(value) == base:
            return  # not touched on this page since it loaded: leave the stored value
        if base != field_hash(stored):
            label = self.label(snap)
            conflict = Conflict(
                self.name, label, value, stored, self.shown(value), self.shown(stored)
            )
            result.conflicts.append(conflict)
            return
        self.write(snap, value)
        result.saved.append(self.name)
        result.in_sync.append(self.name)
        if key := self.changed_actions(snap):
            result.actions_changed.add(key)


@dataclass(frozen=True)
class PromptField(Field):
    """``p-<key>`` or ``p-<key>-<part>``: cleaned and written by the prompt's kind."""

    prompt: Prompt
    kind: AnswerKind
    part: str

    def label(self, snap: Snapshot) -> str:
        return self.kind.label_of(self.prompt, self.part)

    def read(self, data: QueryDict) -> str:
        return self.kind.submitted(self.prompt, data, self.name)

    def clean(self, raw: str) -> Cleaned:
        return self.kind.clean(self.prompt, self.part, raw)

    def write(self, snap: Snapshot, value: str) -> None:
        self.kind.write(snap, self.prompt, self.part, value)
        snap.values[self.name] = value

    def shown(self, value: str) -> str:
        return self.kind.shown(self.prompt, self.part, value)


@dataclass(frozen=True)
class TechniqueField(Field):
    """``t-<key>-<code>-<part>``: one technique of a techniques prompt."""

    ref: FieldRef

    def label(self, snap: Snapshot) -> str:
        return f"{snap.techniques[self.ref.code].name} ({PART_LABELS[self.ref.part]})"

    def clean(self, raw: str) -> Cleaned:
        return TechniquesKind.clean_part(self.ref.part, raw)

    def write(self, snap: Snapshot, value: str) -> None:
        snap.values.update(TechniquesKind.write_part(snap, self.ref, value))

    def shown(self, value: str) -> str:
        return TechniquesKind.shown_part(self.ref.part, value)


@dataclass(frozen=True)
class ActionField(Field):
    """``a-<code>-<part>``: an existing action item's text, due date or status."""

    code: str
    part: str

    def label(self, snap: Snapshot) -> str:
        action = snap.actions.get(self.code)
        part = ACTION_PART_LABELS[self.part]
        return f"Action: {action.text}{part}" if action else f"Action item{part}"

    def missing(self, snap: Snapshot) -> str | None:
        if self.code in snap.actions:
            return None
        return (
            "This action item was removed in another window. Reload the page to see "
            "the current list."
        )

    def clean(self, raw: str) -> Cleaned:
        return ActionsKind.clean_part(self.part, raw)

    def write(self, snap: Snapshot, value: str) -> None:
        ActionsKind.write_part(snap.actions[self.code], self.part, value)
        snap.values[self.name] = value

    def shown(self, value: str) -> str:
        return ActionsKind.shown_part(self.part, value)

    def changed_actions(self, snap: Snapshot) -> str:
        prompt = snap.actions_prompt(snap.actions[self.code].owner)
        return prompt.key if prompt else ""


@dataclass(frozen=True)
class NewActionField(Field):
    """``new-<key>-text`` (with ``new-<key>-due``): a new action item for an actions prompt."""

    prompt: Prompt

    def save(self, snap: Snapshot, data: QueryDict, result: SaveResult) -> None:
        text, error = clean_text(data.get(self.name, "").strip(), SHORT_TEXT_LIMIT)
        if not text:
            return
        due_name = f"new-{self.prompt.key}-due"
        due, due_error = clean_due(data.get(due_name, ""))
        if error or due_error:
            result.errors[self.name if error else due_name] = str(error or due_error)
            return
        key = creation_key(data.get(f"new-{self.prompt.key}-key"))
        ActionsKind.create(snap, self.prompt, text, due, key)
        result.actions_changed.add(self.prompt.key)
        result.saved.append(self.name)


@dataclass(frozen=True)
class ReviewField(Field):
    """``r-<code>-<part>``: the review of an action still open from an earlier session."""

    code: str
    part: str

    def label(self, snap: Snapshot) -> str:
        carried = snap.carried.get(self.code)
        part = " (what became of it)" if self.part == "choice" else " (note)"
        return f"Earlier action: {carried.text}{part}" if carried else f"Earlier action{part}"

    def missing(self, snap: Snapshot) -> str | None:
        if self.code in snap.carried:
            return None
        return "This earlier action is no longer open. Reload the page to see the current list."

    def clean(self, raw: str) -> Cleaned:
        value = raw.strip()
        if self.part == "note":
            return clean_text(value, SHORT_TEXT_LIMIT)
        return value, None if value in REVIEW_CHOICES else "Choose done, carry on or drop."

    def write(self, snap: Snapshot, value: str) -> None:
        snap.values[self.name] = value
        code = self.code
        choice, note = snap.values[f"r-{code}-choice"], snap.values[f"r-{code}-note"]
        stored = carry.apply_review(
            snap.carried[code], snap.reviews.get(code), snap.reflection, choice, note
        )
        if stored is None:
            snap.reviews.pop(code, None)
        else:
            snap.reviews[code] = stored

    def shown(self, value: str) -> str:
        return str(REVIEW_LABELS.get(value, value)) if self.part == "choice" else value


@dataclass(frozen=True)
class LastTimeField(Field):
    """``lt-<key>``: how last session's plan went, stored as the answer ``lt.<key>``."""

    key: str

    def label(self, snap: Snapshot) -> str:
        asked = next((t for t in snap.last_time if t.key == self.key), None)
        return asked.question if asked else carry.GENERIC[1]

    def missing(self, snap: Snapshot) -> str | None:
        if any(t.key == self.key for t in snap.last_time):
            return None
        return "Last session's plan has changed. Reload the page to see it."

    def clean(self, raw: str) -> Cleaned:
        return clean_text(raw, LONG_TEXT_LIMIT)

    def write(self, snap: Snapshot, value: str) -> None:
        answer = answer_for(snap, f"{carry.LAST_TIME_PREFIX}{self.key}")
        answer.text = value
        answer.save()
        snap.values[self.name] = value


@dataclass(frozen=True)
class GoalField(Field):
    """``g-<code>-<part>``: a goal's score or note in this session."""

    code: str
    part: str

    def label(self, snap: Snapshot) -> str:
        goal = snap.goals.get(self.code)
        part = f" ({self.part})"
        return f"Goal: {goal.title}{part}" if goal else f"Goal{part}"

    def missing(self, snap: Snapshot) -> str | None:
        if self.code in snap.goals:
            return None
        return "This goal is no longer active. Reload the page to see the current goals."

    def clean(self, raw: str) -> Cleaned:
        return GoalProgressKind.clean_part(self.part, raw)

    def write(self, snap: Snapshot, value: str) -> None:
        snap.values[self.name] = value
        GoalProgressKind.save_progress(snap, self.code)

    def shown(self, value: str) -> str:
        return GoalProgressKind.shown_part(self.part, value)


# --- parsing a name ---------------------------------------------------------------------------


def _prompt_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    # Keys hold no dashes, so "<key>" and "<key>-<part>" cannot be mistaken for each other.
    key, part = (rest, "") if rest in snap.definition.by_key else (rest.rpartition("-")[::2])
    prompt = snap.definition.by_key.get(key)
    if prompt is None:
        return None
    kind = kind_of(prompt)
    return PromptField(name, prompt, kind, part) if part in kind.parts else None


def _technique_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    ref = parse_name(name)
    if ref is None or ref.code not in snap.techniques:
        return None
    prompt = snap.definition.by_key.get(ref.prompt_key)
    if prompt is None or not isinstance(kind_of(prompt), TechniquesKind):
        return None
    return TechniqueField(name, ref)


def _coded(rest: str, parts: tuple[str, ...]) -> tuple[str, str] | None:
    code, _, part = rest.rpartition("-")
    return (code, part) if part in parts else None


def _action_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    found = _coded(rest, ACTION_PARTS)
    return ActionField(name, *found) if found else None


def _new_action_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    key, _, part = rest.rpartition("-")
    prompt = snap.definition.by_key.get(key)
    if part != "text" or prompt is None or not isinstance(kind_of(prompt), ActionsKind):
        return None  # "-due" travels with its "-text"
    return NewActionField(name, prompt)


def _review_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    found = _coded(rest, ("choice", "note"))
    return ReviewField(name, *found) if found else None


def _last_time_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    # A plan that comes back: flagged ``carry`` in this template, or asked about now (from an
    # earlier session's template). One no longer asked about is refused by missing().
    carried = {p.key for p in snap.definition.carried()} | {t.key for t in snap.last_time}
    return LastTimeField(name, rest) if rest in carried else None


def _goal_field(snap: Snapshot, rest: str, name: str) -> Field | None:
    found = _coded(rest, GOAL_PARTS)
    return GoalField(name, *found) if found else None


_PARSERS: dict[str, Callable[[Snapshot, str, str], Field | None]] = {
    "p": _prompt_field,
    "t": _technique_field,
    "a": _action_field,
    "new": _new_action_field,
    "r": _review_field,
    "lt": _last_time_field,
    "g": _goal_field,
}


def parse(snap: Snapshot, name: str) -> Field | None:
    """The field a posted name refers to, or None for a name the page does not know."""
    prefix, dash, rest = name.partition("-")
    parser = _PARSERS.get(prefix) if dash else None
    return parser(snap, rest, name) if parser else None
