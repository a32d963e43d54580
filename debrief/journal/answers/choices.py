"""Single and multiple choice: one, or any, of the prompt's ``options``.

The chosen options are kept (encrypted) in the answer's text, one per line in the template's
order. A multiple choice arrives as several values of ``p-<key>`` (one per ticked box, after a
blank one that makes "none ticked" a value too), or as one value with a line per option
(autosave).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.http import QueryDict

from debrief.journal.answers.base import Cleaned, Page, field_name, register
from debrief.journal.answers.values import ValueKind, ValueView
from debrief.lib import markdown
from debrief.prompts.definition import Path, Prompt, fail
from debrief.prompts.kinds import Getter

OPTION_LIMIT = 120
MAX_OPTIONS = 30


def _options(data: Mapping[str, Any], where: str, path: Path) -> tuple[str, ...]:
    if "options" not in data:
        raise fail(where, "missing 'options'.", path)
    raw = data["options"]
    if not isinstance(raw, list):
        raise fail(where, "'options' must be a list.", (*path, "options"))
    options: list[str] = []
    for index, value in enumerate(raw):
        spot = (*path, "options", index)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail(where, f"option {index + 1} must be text.", spot)
        text = str(value).strip()
        if "\x00" in text:
            raise fail(where, f"option {index + 1} contains a null character.", spot)
        if not text or "\n" in text or len(text) > OPTION_LIMIT:
            limit = f"one line of up to {OPTION_LIMIT} characters"
            raise fail(where, f"option {index + 1} must be {limit}.", spot)
        if text in options:
            raise fail(where, f"the option '{text}' is listed twice.", spot)
        options.append(text)
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise fail(where, f"give between 2 and {MAX_OPTIONS} options.", (*path, "options"))
    return tuple(options)


class ChoiceKind(ValueKind):
    attributes = ("options",)
    settings_template = "answers/choices_settings.html"
    several: ClassVar[bool] = False

    def parse_settings(self, data: Mapping[str, Any], where: str, path: Path) -> dict[str, Any]:
        return {"options": _options(data, where, path)}

    def settings_data(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"options": list(settings["options"])}

    def settings_from_form(self, get: Getter, data: QueryDict, prefix: str) -> dict[str, Any]:
        lines = data.get(f"{prefix}-options", "").replace("\r\n", "\n").split("\n")
        return {"options": [line.strip() for line in lines if line.strip()]}

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        chosen = [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
        unknown = [c for c in chosen if c not in prompt.options]
        if unknown or (not self.several and len(chosen) > 1):
            return raw, "Choose from the options listed."
        return "\n".join(o for o in prompt.options if o in chosen), None

    def view(self, prompt: Prompt, page: Page) -> ValueView:
        view = ValueView(prompt, self, page.field(field_name(prompt)))
        chosen = set(view.value.split("\n"))
        view.choices = [(option, option in chosen) for option in prompt.options]
        return view

    def value(self, prompt: Prompt, record: Any) -> tuple[str, ...]:
        answer = record.answers.get(prompt.key)
        return tuple(answer.text.split("\n")) if answer and answer.text else ()

    def as_text(self, prompt: Prompt, value: tuple[str, ...]) -> str:
        return ", ".join(value)


@register
class SingleChoiceKind(ChoiceKind):
    name = "single_choice"
    label = "Single choice"
    menu_order = 60
    control_template = "answers/single_choice/control.html"
    preview_template = "answers/single_choice/preview.html"

    def as_data(self, prompt: Prompt, value: tuple[str, ...]) -> dict[str, Any]:
        return {"answer": "\n".join(value), "options": list(prompt.options)}

    def as_markdown(self, prompt: Prompt, value: tuple[str, ...]) -> str:
        return markdown.escape(self.as_text(prompt, value))


@register
class MultipleChoiceKind(ChoiceKind):
    name = "multiple_choice"
    label = "Multiple choice"
    menu_order = 70
    several = True
    control_template = "answers/multiple_choice/control.html"
    preview_template = "answers/multiple_choice/preview.html"
    export_template = "answers/multiple_choice/export.html"
    print_template = "answers/multiple_choice/print.html"

    def as_html(self, prompt: Prompt, value: tuple[str, ...]) -> str:
        from django.template.loader import render_to_string

        return render_to_string(self.print_template, {"prompt": prompt, "value": value})

    def submitted(self, prompt: Prompt, data: QueryDict, name: str) -> str:
        return "\n".join(v for v in data.getlist(name) if v)

    def shown(self, prompt: Prompt, part: str, value: str) -> str:
        return ", ".join(value.split("\n")) if value else ""

    def as_data(self, prompt: Prompt, value: tuple[str, ...]) -> dict[str, Any]:
        return {"answer": list(value), "options": list(prompt.options)}

    def as_markdown(self, prompt: Prompt, value: tuple[str, ...]) -> str:
        return markdown.bullets([markdown.escape(option) for option in value])
