"""Form helpers shared by the apps: plain fields with the limits and messages coaches see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core import validators
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

NUL_MESSAGE = (
    "This text contains an invisible NUL character (often from a copy and paste), which "
    "cannot be saved. Retype the last part you pasted and try again."
)
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def text_field(
    max_length: int, *, required: bool = False, label: str = "", **kwargs: Any
) -> forms.CharField:
    messages = {
        "max_length": (
            f"This is longer than the {max_length:,} characters Debrief keeps here "
            "(you wrote %(show_value)s). Shorten it, or split it across answers."
        ),
        **kwargs.pop("error_messages", {}),
    }
    field = forms.CharField(
        max_length=max_length,
        required=required,
        label=label,
        strip=True,
        error_messages=messages,
        **kwargs,
    )
    field.validators = [
        v for v in field.validators if not isinstance(v, validators.ProhibitNullCharactersValidator)
    ]
    field.validators.append(validators.ProhibitNullCharactersValidator(message=NUL_MESSAGE))
    # Text in any script: the browser sets each box's direction from what is typed (RTL too).
    field.widget.attrs.setdefault("dir", "auto")
    return field


def has_nul(value: str) -> bool:
    return "\x00" in value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def date_field(*, required: bool = False, label: str = "", **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        required=required,
        label=label,
        widget=DateInput(),
        validators=[
            validators.MinValueValidator(EARLIEST, message="Enter a date after 1900."),
            validators.MaxValueValidator(LATEST, message="Enter a date before 2101."),
        ],
        error_messages={
            "invalid": "Enter a real date, for example 2026-03-14.",
            "required": "Enter the date.",
        },
        **kwargs,
    )


def _attrs(attrs: dict[str, Any]) -> str:
    """What Django's ``attrs.html`` writes for ``attrs``: `` name="value"``, `` name`` if True."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A ``Select`` for a list that can be long (every coachee of a practice): the same HTML as
    Django's templates write, its options written here rather than one template include each
    (400 coachees took 30 ms of template time; tests/test_lib_forms.py compares the two)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)  # groups: Django's own markup
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for _, choices, _ in widget["optgroups"]
            for option in choices
        )
        opening = f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
        return mark_safe(f"{opening}{options}\n</select>")  # noqa: S308 - every part escaped above
