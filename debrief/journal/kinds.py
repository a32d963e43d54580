"""The simple answer kinds stored in one ``Answer`` each: yes/no, number and the choices.

Each is one field ``p-<key>`` on the page. Yes/no is kept as the answer's rating (1 yes,
0 no) so it can be counted without opening any text; a number and the chosen options are
kept (encrypted) in the answer's text, options one per line in the template's order.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import QueryDict

from debrief.journal.models import Answer
from debrief.prompts.definition import Prompt

VALUE_KINDS = ("yes_no", "number", "single_choice", "multiple_choice")
NUMBER_LIMIT = Decimal("1e12")
YES_NO_LABELS = {"yes": "Yes", "no": "No"}


def stored_value(prompt: Prompt, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if prompt.kind == "yes_no":
        return {1: "yes", 0: "no"}.get(answer.rating, "") if answer.rating is not None else ""
    return answer.text


def write(prompt: Prompt, answer: Answer, value: str) -> None:
    if prompt.kind == "yes_no":
        answer.rating = {"yes": 1, "no": 0}.get(value)
    else:
        answer.text = value


def submitted(data: QueryDict, name: str, prompt: Prompt | None) -> str:
    """A multiple choice arrives as several values (one per ticked box, after a blank one
    that makes "none ticked" a value too), or as one value with a line per option (autosave)."""
    if prompt is not None and prompt.kind == "multiple_choice":
        return "\n".join(v for v in data.getlist(name) if v)
    return data.get(name, "")


def _clean_number(value: str) -> tuple[str, str | None]:
    value = value.strip().replace(" ", "")
    if value == "":
        return value, None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        return value, "Enter a number, such as 3 or 4.5, or leave it empty."
    return format(number.normalize(), "f") if number != number.to_integral() else str(
        int(number)
    ), None


def clean(prompt: Prompt, raw: str) -> tuple[str, str | None]:
    if prompt.kind == "yes_no":
        value = raw.strip()
        return value, None if value in ("", "yes", "no") else "Choose yes or no."
    if prompt.kind == "number":
        return _clean_number(raw)
    chosen = [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
    unknown = [c for c in chosen if c not in prompt.options]
    if unknown or (prompt.kind == "single_choice" and len(chosen) > 1):
        return raw, "Choose from the options listed."
    return "\n".join(o for o in prompt.options if o in chosen), None


def display(prompt: Prompt, value: str) -> str:
    """The answer as a reader sees it."""
    if prompt.kind == "yes_no":
        return YES_NO_LABELS.get(value, "")
    if prompt.kind == "multiple_choice":
        return ", ".join(value.split("\n")) if value else ""
    return value
