"""Form helpers shared by the apps: plain fields with the limits and messages coaches see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core import validators

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
