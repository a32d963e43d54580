"""The answer side of an answer kind, and what every kind shares.

``AnswerKind`` extends the definition side (``prompts.kinds.Kind``) with everything about the
answers themselves:

- the reflection page: the stored values of the kind's fields, cleaning a posted value,
  writing it, the view its edit and read templates are rendered with;
- the stored answer (``value``): whether it is empty or answered, and how it reads in an
  export (``as_data`` for JSON, ``as_text``, ``as_markdown``), in search and in insights.

A ``Record`` is what is stored for one reflection (its answers, the session's action items,
technique uses and goal scores); the reflection page's ``Snapshot`` is one, and an exporter
can build its own from rows it has read in bulk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.http import QueryDict

from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.lib import markdown
from debrief.lib.forms import NUL_MESSAGE
from debrief.prompts import kinds
from debrief.prompts.definition import Prompt

if TYPE_CHECKING:
    from debrief.followup.models import ActionItem, Goal, GoalProgress
    from debrief.journal.fields import Conflict, FieldView
    from debrief.journal.reflection import Snapshot
    from debrief.techniques.models import TechniqueUse

Cleaned = tuple[str, str | None]  # the value to store, or what to change (an error)


class Record(Protocol):
    """What is stored for one reflection, as the kinds read it."""

    reflection: Reflection
    answers: dict[str, Answer]  # by prompt key
    actions: dict[str, ActionItem]  # the session's action items, by code
    uses: dict[tuple[str, str], TechniqueUse]  # by (prompt key, technique code)
    goals: dict[str, Goal]  # the coachee's goals shown in this session, by code
    progress: dict[str, GoalProgress]  # scored in this session, by goal code
    previous_scores: dict[str, int]  # each goal's latest earlier score, by goal code

    @property
    def session(self) -> CoachingSession: ...


class Page(Protocol):
    """The reflection page being built: the stored snapshot and what was just posted."""

    snap: Snapshot
    submitted: QueryDict | None

    def field(self, name: str) -> FieldView: ...

    def error(self, name: str) -> str: ...


def field_name(prompt: Prompt, part: str = "") -> str:
    """The page's field for a prompt: ``p-<key>``, or ``p-<key>-<part>`` (a rating's score)."""
    return f"p-{prompt.key}-{part}" if part else f"p-{prompt.key}"


def clean_text(value: str, limit: int) -> Cleaned:
    value = value.replace("\r\n", "\n")
    if "\x00" in value:
        return value, NUL_MESSAGE
    if len(value) > limit:
        return value, (
            f"This answer is {len(value):,} characters long; Debrief keeps up to {limit:,} here. "
            "Shorten it, or move part of it to Additional notes."
        )
    return value, None


def answer_for(record: Record, key: str) -> Answer:
    """The stored answer to ``key``, made (unsaved) if there is none yet."""
    answer = record.answers.get(key)
    if answer is None:
        answer = Answer(reflection=record.reflection, prompt_key=key)
        record.answers[key] = answer
    return answer


@dataclass
class FieldRow:
    """A row of a prompt made of several fields (an action item, a technique), by part."""

    fields: dict[str, FieldView]

    @property
    def names(self) -> dict[str, str]:
        return {part: f.name for part, f in self.fields.items()}

    @property
    def values(self) -> dict[str, str]:
        return {part: f.value for part, f in self.fields.items()}

    @property
    def bases(self) -> dict[str, str]:
        # After a conflict, saving again keeps the coach's version.
        return {part: f.shown_base for part, f in self.fields.items()}

    @property
    def errors(self) -> dict[str, str]:
        return {part: f.error for part, f in self.fields.items() if f.error}

    @property
    def conflicts(self) -> list[Conflict]:
        return [f.conflict for f in self.fields.values() if f.conflict]


@dataclass
class PromptView:
    """One prompt on the reflection page; each kind adds what its templates show."""

    prompt: Prompt
    kind: AnswerKind

    @property
    def edit_template(self) -> str:
        return self.kind.edit_template

    @property
    def read_template(self) -> str:
        return self.kind.read_template

    @property
    def asks(self) -> bool:
        return self.kind.asks

    @property
    def counts(self) -> bool:
        """Counted in "n of m prompts answered"."""
        return self.kind.asks

    @property
    def is_empty(self) -> bool:
        """Nothing to show in the read view (judged on what the page shows)."""
        return True

    @property
    def conflicts(self) -> list[Conflict]:
        return []


class AnswerKind(kinds.Kind):
    """One way of answering a prompt, owning everything about it. See the module docstring.

    A kind whose answer is one value in the prompt's ``Answer`` needs only ``clean``,
    ``stored``/``store`` (if not kept as the answer's text), ``value`` and its templates;
    the defaults here do the rest.
    """

    requirable: ClassVar[bool] = True  # False: "required" never holds completion back
    anchor: ClassVar[str] = "prompt-{key}"  # the id of the prompt's block on the page
    parts: ClassVar[tuple[str, ...]] = ("",)  # its page fields: p-<key>, p-<key>-<part>
    edit_template: ClassVar[str] = ""
    read_template: ClassVar[str] = ""
    export_template: ClassVar[str] = "answers/export.html"  # in the readable coachee export
    # In a PDF (exports): rendered with the prompt and its stored ``value``, like the read view.
    print_template: ClassVar[str] = "answers/print.html"

    # --- the reflection page: its fields ----------------------------------------------------

    def load(self, snap: Snapshot, prompts: list[Prompt], *, for_update: bool) -> None:
        """Read what this kind stores beyond the answers (once per page), and put the stored
        value of each of its fields in ``snap.values``."""
        for prompt in prompts:
            for part in self.parts:
                answer = snap.answers.get(prompt.key)
                snap.values[field_name(prompt, part)] = self.stored(prompt, part, answer)

    def stored(self, prompt: Prompt, part: str, answer: Answer | None) -> str:
        """A field's stored value, as the page shows and posts it."""
        return answer.text if answer else ""

    def submitted(self, prompt: Prompt, data: QueryDict, name: str) -> str:
        """A field's raw posted value."""
        return data.get(name, "")

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        raise NotImplementedError

    def store(self, prompt: Prompt, part: str, answer: Answer, value: str) -> None:
        """Put a cleaned value into the prompt's answer (saved by the caller)."""
        answer.text = value

    def write(self, record: Record, prompt: Prompt, part: str, value: str) -> None:
        answer = answer_for(record, prompt.key)
        self.store(prompt, part, answer, value)
        answer.save()

    def shown(self, prompt: Prompt, part: str, value: str) -> str:
        """How a field's value reads to the coach (in a conflict panel)."""
        return value

    def label_of(self, prompt: Prompt, part: str) -> str:
        """What a field is called to the coach (in a conflict panel): the prompt's wording."""
        return prompt.text

    def view(self, prompt: Prompt, page: Page) -> PromptView:
        raise NotImplementedError

    # --- the stored answer --------------------------------------------------------------------

    def value(self, prompt: Prompt, record: Record) -> Any:
        """The answer as stored, in this kind's own shape (text by default)."""
        answer = record.answers.get(prompt.key)
        return answer.text if answer else ""

    def is_empty(self, prompt: Prompt, value: Any) -> bool:
        return not value

    def is_answered(self, prompt: Prompt, value: Any) -> bool:
        """Answered enough for a required prompt."""
        return not self.is_empty(prompt, value)

    def as_data(self, prompt: Prompt, value: Any) -> dict[str, Any]:
        """The answer in the JSON export, beside the prompt's key, text and kind."""
        return {"answer": value}

    def as_text(self, prompt: Prompt, value: Any) -> str:
        """The answer as plain text ("" when there is none: the exporter says so)."""
        return str(value)

    def as_markdown(self, prompt: Prompt, value: Any) -> str:
        """The answer as Markdown, the coach's words escaped ("" when there is none)."""
        return markdown.text(self.as_text(prompt, value))

    def as_html(self, prompt: Prompt, value: Any) -> str:
        """The answer as HTML for a PDF, from ``print_template`` (its text escaped)."""
        from django.template.loader import render_to_string

        return render_to_string(self.print_template, {"prompt": prompt, "value": value})

    def front_matter(self, prompt: Prompt, value: Any) -> tuple[str, Any] | None:
        """A list in a Markdown file's front matter this answer adds an item to, and the item
        (``("ratings", {...})``), or None: most answers are only in the body."""
        return None

    # --- search and insights ------------------------------------------------------------------

    def search_places(self, prompt: Prompt) -> tuple[tuple[str, str], ...]:
        """Search documents (kind, ref) that are not answers but belong to this prompt."""
        return ()

    def search_text(self, prompt: Prompt, text: str) -> str:
        """What search finds and shows of the answer's stored text."""
        return text

    def chart_scale(self, prompt: Prompt) -> tuple[int, int] | None:
        """The scale insights charts this prompt's answers on over time; None: not charted."""
        return None


def kind_of(prompt: Prompt) -> AnswerKind:
    """The answer kind of a prompt (every registered kind is an ``AnswerKind``)."""
    kind = kinds.get(prompt.kind)
    assert isinstance(kind, AnswerKind), kind  # every kind registers through register()
    return kind


def register(kind_class: type[AnswerKind]) -> type[AnswerKind]:
    return kinds.register(kind_class)


def by_kind(prompts: list[Prompt]) -> Mapping[AnswerKind, list[Prompt]]:
    """Prompts grouped by kind, in the order the kinds first appear."""
    found: dict[AnswerKind, list[Prompt]] = {}
    for prompt in prompts:
        found.setdefault(kind_of(prompt), []).append(prompt)
    return found
