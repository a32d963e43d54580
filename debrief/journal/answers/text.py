"""Long and short text: a written answer, kept (encrypted) as the answer's text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from debrief.journal.answers.base import (
    AnswerKind,
    Cleaned,
    Page,
    PromptView,
    clean_text,
    field_name,
    register,
)
from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from debrief.prompts.definition import Prompt

if TYPE_CHECKING:
    from debrief.journal.fields import Conflict, FieldView


@dataclass
class TextView(PromptView):
    """A prompt answered in one field of the page (text, or a single value)."""

    field: FieldView

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def value(self) -> str:
        return self.field.value

    @property
    def error(self) -> str:
        return self.field.error

    @property
    def conflict(self) -> Conflict | None:
        return self.field.conflict

    @property
    def conflicts(self) -> list[Conflict]:
        return [self.field.conflict] if self.field.conflict else []

    @property
    def max_length(self) -> int:
        limit: int = getattr(self.kind, "max_length", LONG_TEXT_LIMIT)
        return limit

    @property
    def is_empty(self) -> bool:
        return not self.field.value


class TextKind(AnswerKind):
    answer_is_text = True
    max_length: ClassVar[int] = LONG_TEXT_LIMIT
    one_line: ClassVar[bool] = False  # a one-line box instead of several lines
    edit_template = "answers/text_edit.html"
    read_template = "answers/long_text/read.html"
    preview_template = "answers/long_text/preview.html"

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        return clean_text(raw, self.max_length)

    def view(self, prompt: Prompt, page: Page) -> TextView:
        return TextView(prompt, self, page.field(field_name(prompt)))

    def is_answered(self, prompt: Prompt, value: Any) -> bool:
        return bool(value.strip())


@register
class LongTextKind(TextKind):
    name = "long_text"
    label = "Long text"
    menu_order = 10


@register
class ShortTextKind(TextKind):
    name = "short_text"
    label = "Short text"
    menu_order = 20
    max_length = SHORT_TEXT_LIMIT
    one_line = True
    preview_template = "answers/short_text/preview.html"
