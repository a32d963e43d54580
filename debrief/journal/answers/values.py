"""Yes/no and number: one value each in the prompt's answer (field ``p-<key>``).

Yes/no is kept as the answer's rating (1 yes, 0 no), so it can be counted without opening any
text; a number is kept (encrypted) as the answer's text, in a plain normal form ("4.5", "12").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from debrief.journal.answers.base import (
    AnswerKind,
    Cleaned,
    Page,
    field_name,
    register,
)
from debrief.journal.answers.text import TextView
from debrief.journal.models import Answer
from debrief.lib import markdown
from debrief.prompts.definition import Prompt

NUMBER_LIMIT = Decimal("1e12")
YES_NO_LABELS = {"yes": "Yes", "no": "No"}


@dataclass
class ValueView(TextView):
    """A prompt answered with one value: a yes/no, a number or a choice."""

    choices: list[tuple[str, bool]] | None = None  # (option, chosen) for the choice kinds

    @property
    def display(self) -> str:
        return self.kind.shown(self.prompt, "", self.value)


class ValueKind(AnswerKind):
    edit_template = "answers/value_edit.html"
    read_template = "answers/value_read.html"
    control_template: ClassVar[str] = ""  # the field itself, inside the shared frame
    in_fieldset: ClassVar[bool] = True  # a group of radios or boxes, labelled by a legend
    print_template = "answers/value_print.html"

    def view(self, prompt: Prompt, page: Page) -> ValueView:
        return ValueView(prompt, self, page.field(field_name(prompt)))

    def as_text(self, prompt: Prompt, value: Any) -> str:
        return self.shown(prompt, "", value)

    def as_html(self, prompt: Prompt, value: Any) -> str:
        from django.template.loader import render_to_string

        shown = self.as_text(prompt, value)
        return render_to_string(self.print_template, {"prompt": prompt, "shown": shown})


@register
class YesNoKind(ValueKind):
    name = "yes_no"
    label = "Yes or no"
    menu_order = 40
    control_template = "answers/yes_no/control.html"
    preview_template = "answers/yes_no/preview.html"

    def stored(self, prompt: Prompt, part: str, answer: Answer | None) -> str:
        if answer is None or answer.rating is None:
            return ""
        return {1: "yes", 0: "no"}.get(answer.rating, "")

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        value = raw.strip()
        return value, None if value in ("", "yes", "no") else "Choose yes or no."

    def store(self, prompt: Prompt, part: str, answer: Answer, value: str) -> None:
        answer.rating = {"yes": 1, "no": 0}.get(value)

    def shown(self, prompt: Prompt, part: str, value: str) -> str:
        return YES_NO_LABELS.get(value, "")

    def value(self, prompt: Prompt, record: Any) -> str:
        return self.stored(prompt, "", record.answers.get(prompt.key))

    def as_markdown(self, prompt: Prompt, value: str) -> str:
        return self.shown(prompt, "", value)


@register
class NumberKind(ValueKind):
    name = "number"
    label = "Number"
    menu_order = 50
    control_template = "answers/number/control.html"
    in_fieldset = False
    preview_template = "answers/short_text/preview.html"

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        value = raw.strip().replace(" ", "")
        if value == "":
            return value, None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            return value, "Enter a number, such as 3 or 4.5, or leave it empty."
        if number != number.to_integral():
            return format(number.normalize(), "f"), None
        return str(int(number)), None

    def as_markdown(self, prompt: Prompt, value: str) -> str:
        return markdown.escape(value)
