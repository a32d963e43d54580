from __future__ import annotations

from typing import Any

from django import forms

from debrief.journal.models import CoachingSession
from debrief.lib.forms import TimeInput, date_field

MAX_MINUTES = 24 * 60


class SessionForm(forms.Form):
    coachee = forms.ChoiceField(
        label="Coachee", error_messages={"required": "Choose who the session is with."}
    )
    date = date_field(required=True, label="Date")
    date.error_messages["required"] = "Enter the date of the session."
    start_time = forms.TimeField(
        required=False,
        label="Start time",
        widget=TimeInput(),
        error_messages={"invalid": "Enter a time like 14:30, or leave it empty."},
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages={
            "min_value": "A session lasts at least one minute: enter its length in minutes.",
            "max_value": "That is longer than a day: enter the length in minutes, e.g. 60.",
            "invalid": "Enter the length in whole minutes, e.g. 60.",
            "required": "Enter how long the session lasted, in minutes.",
        },
    )
    number = forms.IntegerField(
        required=False,  # left empty: the next number for the coachee chosen
        label="Session number",
        min_value=1,
        max_value=100_000,
        help_text=(
            "Suggested as the next for this coachee (left empty, it is); change it if you are "
            "catching up."
        ),
        error_messages={
            "min_value": "Session numbers start at 1.",
            "invalid": "Enter a whole number, e.g. 4.",
            "required": "Enter the session number, e.g. 4.",
        },
    )
    format = forms.ChoiceField(
        choices=CoachingSession.Format.choices, label="Format", widget=forms.RadioSelect
    )
    payment = forms.ChoiceField(
        choices=CoachingSession.Payment.choices, label="Paid or pro bono", widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        choices=CoachingSession.Kind.choices, label="Individual or group", widget=forms.RadioSelect
    )
    group_size = forms.IntegerField(
        required=False,
        label="Group size",
        min_value=2,
        max_value=500,
        help_text="How many people took part, for group sessions.",
        error_messages={"min_value": "A group has at least 2 people."},
    )

    FIELDS = ("date", "start_time", "duration_minutes", "number", "format", "payment", "kind")

    def __init__(self, *args: Any, coachee_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coachee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = coachee_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CoachingSession.Kind.GROUP:
            if not data.get("group_size") and "group_size" not in self.errors:
                self.add_error("group_size", "Enter how many people were in the group.")
        else:
            data["group_size"] = None
        return data

    def copy_to(self, session: CoachingSession) -> list[str]:
        for name in (*self.FIELDS, "group_size"):
            setattr(session, name, self.cleaned_data[name])
        return [*self.FIELDS, "group_size"]

    @classmethod
    def initial_for(cls, session: CoachingSession) -> dict[str, object]:
        initial: dict[str, object] = {n: getattr(session, n) for n in (*cls.FIELDS, "group_size")}
        initial["coachee"] = str(session.coachee.code)
        return initial
