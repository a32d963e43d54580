"""Plain forms for the practice records: fields copied explicitly, clear messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from debrief.lib.forms import date_field, text_field
from debrief.practice.bodies import BODIES
from debrief.practice.models import CPDEntry, MentoringEntry, Mode
from debrief.practice.rules import CURRENT
from debrief.privacy.fields import LONG_TEXT_LIMIT, NAME_LIMIT

HOURS_LIMIT = Decimal(1000)  # one entry; a typo of 6000 hours should be refused, not counted


def hours_field(label: str = "Hours", *, required: bool = True, positive: bool = True) -> Any:
    low = Decimal("0.01") if positive else Decimal(0)
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=low,
        max_value=HOURS_LIMIT if positive else Decimal(100_000),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter the hours, such as 1 or 1.5.",
            "invalid": "Enter hours as a number, such as 1 or 1.5.",
            "min_value": "Enter more than 0 hours." if positive else "Hours cannot be negative.",
            "max_value": "That is more hours than one entry can hold. Check the number.",
            "max_digits": "That is more hours than one entry can hold. Check the number.",
            "max_whole_digits": "That is more hours than one entry can hold. Check the number.",
            "max_decimal_places": "Use at most two decimal places, such as 1.25.",
        },
    )


def _mode_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.INDIVIDUAL
    )


class SupervisionForm(forms.Form):
    date = date_field(required=True, label="Date")
    supervisor = text_field(NAME_LIMIT, required=True, label="Supervisor")
    mode = _mode_field("One to one or in a group")
    hours = hours_field()
    themes = text_field(
        LONG_TEXT_LIMIT,
        label="Themes you brought",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sealed like your notes. Refer to coachees without their names.",
    )
    learning = text_field(
        LONG_TEXT_LIMIT, label="What you took from it", widget=forms.Textarea(attrs={"rows": 4})
    )
    sessions = forms.MultipleChoiceField(
        label="Sessions you brought",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their reflections were your supervision pack.",
    )

    def __init__(self, *args: Any, sessions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = sessions  # type: ignore[attr-defined]


class LearningForm(forms.Form):
    """A supervision session a supervisor recorded: the coach adds only what they took from it."""

    learning = text_field(
        LONG_TEXT_LIMIT, label="What you took from it", widget=forms.Textarea(attrs={"rows": 4})
    )


class MentoringForm(forms.Form):
    date = date_field(required=True, label="Date")
    mentor = text_field(NAME_LIMIT, required=True, label="Mentor coach")
    mentor_email = forms.EmailField(
        label="Mentor's email",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address, such as name@example.com."},
    )
    mentor_credential = forms.ChoiceField(
        label="Mentor's ICF credential", choices=MentoringEntry.Credential.choices
    )
    mode = _mode_field("One to one or in a group")
    hours = hours_field()


class CPDForm(forms.Form):
    date = date_field(required=True, label="Date (or the last day)")
    title = text_field(300, required=True, label="Title")
    provider = text_field(NAME_LIMIT, required=True, label="Provider")
    hours = hours_field()
    category = forms.ChoiceField(
        label="ICF category",
        choices=CPDEntry.Category.choices,
        widget=forms.RadioSelect,
        initial=CPDEntry.Category.CORE,
    )
    coach_training = forms.BooleanField(
        label="Coach-specific training (counts as coach training for the AC and the ICF)",
        required=False,
    )
    learning = text_field(5_000, label="What you learned", widget=forms.Textarea(attrs={"rows": 3}))
    certificate = forms.FileField(
        label="Certificate (PDF, PNG or JPEG, up to 5 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class FeedbackForm(forms.Form):
    date = date_field(required=True, label="Date received")
    coachee = forms.ChoiceField(label="From")
    text = text_field(
        LONG_TEXT_LIMIT,
        required=True,
        label="The feedback",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Sealed with the coachee's key, and erased with them.",
        error_messages={"required": "Write or paste the feedback."},
    )

    def __init__(self, *args: Any, coachees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coachee"].choices = [("", "Anonymous"), *coachees]  # type: ignore[attr-defined]
        self.fields["coachee"].required = False


def level_choices(body: str) -> list[tuple[str, str]]:
    return [("", "Nothing yet"), *((lv.key, lv.name) for lv in CURRENT[body].levels)]


class BodiesForm(forms.Form):
    """Which bodies the coach follows, what they hold, and two facts about the practice."""

    first_practised_on = date_field(
        label="You first practised as a coach on",
        help_text="For EMCC's years of practice. Left empty, your first session counts.",
    )
    training_hours = hours_field(
        "Coach-specific training before Debrief (hours)", positive=False, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, body in BODIES.items():
            self.fields[f"{key}_on"] = forms.BooleanField(
                label=f"I accredit with the {body.name} ({body.full_name})", required=False
            )
            self.fields[f"{key}_level"] = forms.ChoiceField(
                label=f"{body.name} level you hold", choices=level_choices(key), required=False
            )
            self.fields[f"{key}_awarded"] = date_field(
                label=f"{body.name}: awarded or last renewed on",
                help_text="Debrief counts your renewal from this date.",
            )
        self.fields["ac_route"] = forms.ChoiceField(
            label="AC route",
            choices=[("", "Coach"), ("executive", "Executive Coach")],
            required=False,
        )

    def body_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        found = []
        for key, body in BODIES.items():
            names = [f"{key}_on", f"{key}_level", f"{key}_awarded"]
            if key == "ac":
                names.append("ac_route")
            found.append((body.name, [self[n] for n in names]))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, body in BODIES.items():
            if data.get(f"{key}_awarded") and not data.get(f"{key}_level"):
                self.add_error(
                    f"{key}_level",
                    f"Choose the {body.name} level you hold, or clear the award date.",
                )
        return data
