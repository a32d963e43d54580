"""The follow-up answer kinds: action items and goal progress.

``actions``: the session's action items for the prompt's ``owner`` (coachee or coach), real
rows listed on the coachee's page until done. Fields ``a-<code>-text`` / ``-due`` /
``-status`` edit one; ``new-<key>-text`` and ``new-<key>-due`` add one; clearing the text
removes it.

``goal_progress``: a 0-10 score and a note for each of the coachee's active goals, in fields
``g-<code>-score`` / ``-note``; a ``GoalProgress`` row exists while either is filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID, uuid4

from django.db import IntegrityError, transaction
from django.http import QueryDict

from debrief.followup import carry
from debrief.followup.models import ActionItem, Goal, GoalProgress
from debrief.journal.answers.base import (
    AnswerKind,
    Cleaned,
    FieldRow,
    Page,
    PromptView,
    Record,
    clean_text,
    register,
)
from debrief.lib import markdown
from debrief.lib.forms import EARLIEST, LATEST
from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from debrief.prompts.definition import Definition, Path, Prompt, fail, text_value
from debrief.prompts.kinds import Getter

if TYPE_CHECKING:
    from debrief.journal.fields import Conflict, FieldView
    from debrief.journal.reflection import Snapshot

ACTION_OWNERS = ("coachee", "coach")
ACTION_PARTS = ("text", "due", "status")
ACTION_STATUSES = {s.value for s in ActionItem.Status}
GOAL_PARTS = ("score", "note")
GOAL_SCALE = range(0, 11)


def action_field(code: object, part: str) -> str:
    return f"a-{code}-{part}"


def goal_field(code: object, part: str) -> str:
    return f"g-{code}-{part}"


def _due_text(due: date) -> str:
    return due.strftime("%-d %B %Y")


# --- actions ----------------------------------------------------------------------------------


@dataclass
class ActionRow(FieldRow):
    action: ActionItem

    @property
    def text(self) -> str:
        return self.fields["text"].value

    @property
    def due(self) -> str:
        return self.fields["due"].value

    @property
    def status(self) -> str:
        return self.fields["status"].value


@dataclass
class ActionsView(PromptView):
    actions: list[ActionRow] = field(default_factory=list)
    new_key: UUID | None = None
    new_text: str = ""
    new_due: str = ""
    new_error: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.actions

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for row in self.actions for c in row.conflicts]


@register
class ActionsKind(AnswerKind):
    name = "actions"
    anchor = "actions-{key}"
    label = "Action items"
    menu_order = 90
    attributes = ("owner",)
    parts = ()
    settings_template = "answers/actions/settings.html"
    preview_template = "answers/actions/preview.html"
    edit_template = "answers/actions/edit.html"
    read_template = "answers/actions/read.html"
    export_template = "answers/actions/export.html"
    print_template = "answers/actions/print.html"

    # --- the definition ---------------------------------------------------------------------

    def parse_settings(self, data: Mapping[str, Any], where: str, path: Path) -> dict[str, Any]:
        owner = text_value(data, "owner", where, path)
        if owner not in ACTION_OWNERS:
            raise fail(where, "'owner' must be coachee or coach.", (*path, "owner"))
        return {"owner": owner}

    def settings_from_form(self, get: Getter, data: QueryDict, prefix: str) -> dict[str, Any]:
        return {"owner": get("owner") or "coachee"}

    def describe(self, prompt: Prompt) -> str:
        return f"{self.label}, for the {prompt.owner}"

    def has_stored(self, prompt: Prompt, keys: set[str], action_owners: set[str]) -> bool:
        return prompt.owner in action_owners

    def shows_in(self, prompt: Prompt, target: Definition) -> bool:
        return self.prompt_for(target, prompt.owner) is not None

    @classmethod
    def prompt_for(cls, definition: Definition, owner: str) -> Prompt | None:
        """The first actions prompt of ``definition`` listing the actions of ``owner``."""
        for prompt in definition.prompts():
            if prompt.kind == cls.name and prompt.owner == owner:
                return prompt
        return None

    # --- the page -----------------------------------------------------------------------------

    def load(self, snap: Snapshot, prompts: list[Prompt], *, for_update: bool) -> None:
        actions = ActionItem.objects.filter(session_id=snap.reflection.session_id)
        if for_update:
            actions = actions.select_for_update()
        snap.actions = {str(a.code): a for a in actions}
        for action in snap.actions.values():
            snap.values.update(self.action_values(action))

    @staticmethod
    def action_values(action: ActionItem) -> dict[str, str]:
        return {
            action_field(action.code, "text"): action.text,
            action_field(action.code, "due"): action.due.isoformat() if action.due else "",
            action_field(action.code, "status"): action.status,
        }

    @staticmethod
    def clean_part(part: str, raw: str) -> Cleaned:
        if part == "text":
            return clean_text(raw.strip(), SHORT_TEXT_LIMIT)
        if part == "due":
            return clean_due(raw)
        value = raw.strip()
        return value, None if value in ACTION_STATUSES else "Choose open, done or dropped."

    @staticmethod
    def write_part(action: ActionItem, part: str, value: str) -> None:
        if part == "text":
            action.text = value
        elif part == "due":
            action.due = date.fromisoformat(value) if value else None
        else:
            action.set_status(value)
        action.save()

    @staticmethod
    def shown_part(part: str, value: str) -> str:
        if part == "due" and value:
            return _due_text(date.fromisoformat(value))
        if part == "status":
            return str(ActionItem.Status(value).label) if value in ACTION_STATUSES else value
        return value

    @staticmethod
    def create(
        snap: Snapshot, prompt: Prompt, text: str, due: str, key: UUID | None = None
    ) -> ActionItem:
        """A new action; the one already made with ``key`` if this save was sent before."""
        session = snap.session
        if key is not None:
            earlier = ActionItem.objects.filter(session=session, creation_key=key).first()
            if earlier is not None:
                return earlier
        try:
            with transaction.atomic():  # a savepoint: a twin saving at this moment wins
                action = ActionItem.objects.create(
                    coach_id=snap.reflection.coach_id,
                    coachee_id=session.coachee_id,
                    session=session,
                    owner=prompt.owner,
                    text=text,
                    due=date.fromisoformat(due) if due else None,
                    creation_key=key,
                )
        except IntegrityError:
            return ActionItem.objects.get(session=session, creation_key=key)
        snap.actions[str(action.code)] = action
        snap.values.update(ActionsKind.action_values(action))
        return action

    def view(self, prompt: Prompt, page: Page) -> ActionsView:
        rows = [
            ActionRow({p: page.field(action_field(action.code, p)) for p in ACTION_PARTS}, action)
            for action in self.value(prompt, page.snap)
        ]
        view = ActionsView(prompt, self, rows)
        text_name, due_name = f"new-{prompt.key}-text", f"new-{prompt.key}-due"
        if page.error(text_name) and page.submitted is not None:
            view.new_text = page.submitted.get(text_name, "")
            view.new_due = page.submitted.get(due_name, "")
        view.new_error = page.error(text_name) or page.error(due_name)
        # A fresh key for the next new action, unless the page comes back with this one unsaved.
        submitted = page.submitted if view.new_error and page.submitted is not None else {}
        submitted_key = submitted.get(f"new-{prompt.key}-key", "")
        view.new_key = creation_key(submitted_key) or uuid4()
        return view

    # --- the stored answer ----------------------------------------------------------------------

    def value(self, prompt: Prompt, record: Record) -> list[ActionItem]:
        items = [a for a in record.actions.values() if a.owner == prompt.owner]
        return sorted(items, key=lambda a: a.created)

    def as_data(self, prompt: Prompt, value: list[ActionItem]) -> dict[str, Any]:
        return {"owner": prompt.owner}  # the session's action items are exported beside

    def _line(self, action: ActionItem, text: str) -> str:
        due = f", due {_due_text(action.due)}" if action.due else ""
        return f"{text} ({action.get_status_display().lower()}{due})"

    def as_text(self, prompt: Prompt, value: list[ActionItem]) -> str:
        return "\n".join(f"- {self._line(a, a.text)}" for a in value)

    def as_markdown(self, prompt: Prompt, value: list[ActionItem]) -> str:
        return markdown.bullets([self._line(a, markdown.escape(a.text)) for a in value])

    def front_matter(self, prompt: Prompt, value: list[ActionItem]) -> tuple[str, Any] | None:
        if not value:
            return None
        items = [
            {"for": prompt.owner, "text": a.text, "status": a.status, "due": a.due} for a in value
        ]
        return "actions", items

    def search_places(self, prompt: Prompt) -> tuple[tuple[str, str], ...]:
        return (("action", prompt.owner),)


def creation_key(raw: str | None) -> UUID | None:
    """The new-action box's key as posted; a missing or mangled one is no key at all."""
    try:
        return UUID(str(raw)) if raw else None
    except ValueError:
        return None


def clean_due(value: str) -> Cleaned:
    value = value.strip()
    if value == "":
        return value, None
    try:
        due = date.fromisoformat(value)
    except ValueError:
        return value, "Enter a real date for the due date, or leave it empty."
    if not EARLIEST <= due <= LATEST:
        return value, "Enter a due date between 1900 and 2100."
    return due.isoformat(), None


# --- goal progress ----------------------------------------------------------------------------


class Scored(NamedTuple):
    goal: Goal
    score: int | None
    note: str
    previous: int | None  # the latest score before this session


@dataclass
class GoalRow:
    goal: Goal
    score: FieldView
    note: FieldView
    previous: int | None = None

    scale = GOAL_SCALE

    @property
    def is_empty(self) -> bool:
        return not self.score.value and not self.note.value

    @property
    def conflicts(self) -> list[Conflict]:
        return [f.conflict for f in (self.score, self.note) if f.conflict]


@dataclass
class GoalsView(PromptView):
    goals: list[GoalRow] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        return bool(self.goals)

    @property
    def is_empty(self) -> bool:
        return all(row.is_empty for row in self.goals)

    @property
    def scored_goals(self) -> list[GoalRow]:
        return [row for row in self.goals if not row.is_empty]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for row in self.goals for c in row.conflicts]


@register
class GoalProgressKind(AnswerKind):
    name = "goal_progress"
    label = "Goal progress (0-10 per active goal)"
    tag = "Goal progress, 0-10 per goal"
    menu_order = 100
    requirable = False  # scored per goal, so it never holds completion back
    parts = ()
    preview_template = "answers/goal_progress/preview.html"
    edit_template = "answers/goal_progress/edit.html"
    read_template = "answers/goal_progress/read.html"
    export_template = "answers/goal_progress/export.html"
    print_template = "answers/goal_progress/print.html"

    # --- the page -----------------------------------------------------------------------------

    def load(self, snap: Snapshot, prompts: list[Prompt], *, for_update: bool) -> None:
        session = snap.session
        goals, snap.progress = carry.goals_for(session)
        snap.goals = {str(g.code): g for g in goals}
        snap.previous_scores = carry.previous_scores(session, goals)
        for code in snap.goals:
            row = snap.progress.get(code)
            score = row.score if row else None
            snap.values[goal_field(code, "score")] = "" if score is None else str(score)
            snap.values[goal_field(code, "note")] = row.note if row else ""

    @staticmethod
    def clean_part(part: str, raw: str) -> Cleaned:
        if part == "note":
            return clean_text(raw, LONG_TEXT_LIMIT)
        value = raw.strip()
        if value == "":
            return value, None
        score = int(value) if value.isascii() and value.isdigit() else None
        if score is None or score not in GOAL_SCALE:
            return value, "Choose a score from 0 (not started) to 10 (achieved)."
        return str(score), None

    @staticmethod
    def save_progress(snap: Snapshot, code: str) -> None:
        """Store a goal's score and note as ``snap.values`` now holds them."""
        score, note = snap.values[goal_field(code, "score")], snap.values[goal_field(code, "note")]
        row = snap.progress.get(code)
        if score == "" and note == "":
            if row is not None:
                row.delete()
                del snap.progress[code]
            return
        if row is None:
            goal = snap.goals[code]
            row = GoalProgress(coach_id=snap.reflection.coach_id, goal=goal, session=snap.session)
            snap.progress[code] = row
        row.score = int(score) if score else None
        row.note = note
        row.save()

    @staticmethod
    def shown_part(part: str, value: str) -> str:
        if part == "score":
            return f"{value} of 10" if value else "Not scored"
        return value

    def view(self, prompt: Prompt, page: Page) -> GoalsView:
        snap = page.snap
        rows = [
            GoalRow(
                goal,
                page.field(goal_field(code, "score")),
                page.field(goal_field(code, "note")),
                snap.previous_scores.get(code),
            )
            for code, goal in snap.goals.items()
        ]
        return GoalsView(prompt, self, rows)

    # --- the stored answer ----------------------------------------------------------------------

    def value(self, prompt: Prompt, record: Record) -> list[Scored]:
        return [
            Scored(goal, row.score, row.note, record.previous_scores.get(code))
            for code, goal in record.goals.items()
            if (row := record.progress.get(code)) is not None
        ]

    def as_data(self, prompt: Prompt, value: list[Scored]) -> dict[str, Any]:
        return {}  # the scores are exported under each goal's "progress", by session

    def _line(self, scored: Scored, title: str, note: str) -> str:
        line = title
        if scored.score is not None:
            line += f": {scored.score} of 10"
            if scored.previous is not None:
                line += f" (last time {scored.previous})"
        return f"{line}. {note}" if note else line

    def as_text(self, prompt: Prompt, value: list[Scored]) -> str:
        return "\n".join(f"- {self._line(s, s.goal.title, s.note)}" for s in value)

    def as_markdown(self, prompt: Prompt, value: list[Scored]) -> str:
        return markdown.bullets(
            [
                self._line(s, f"**{markdown.escape(s.goal.title)}**", markdown.text(s.note))
                for s in value
            ]
        )

    def search_places(self, prompt: Prompt) -> tuple[tuple[str, str], ...]:
        return (("progress", ""),)
