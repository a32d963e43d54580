from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from debrief.coachees.models import Coachee, Handover
from debrief.lib.forms import date_field, text_field
from debrief.privacy.fields import LONG_TEXT_LIMIT, NAME_LIMIT, SHORT_TEXT_LIMIT


class CoacheeForm(forms.Form):
    name = text_field(
        NAME_LIMIT,
        required=True,
        label="Name",
        error_messages={"required": "Enter their name: it is the only thing Debrief needs."},
    )
    preferred_name = text_field(
        NAME_LIMIT, label="Preferred name", help_text="What they like to be called, if different."
    )
    pronouns = text_field(60, label="Pronouns", help_text="For example she/her, he/him, they/them.")
    email = forms.EmailField(
        required=False,
        max_length=254,
        label="Email",
        error_messages={
            "invalid": "Enter an email address like name@example.com, or leave it empty."
        },
    )
    organisation = text_field(SHORT_TEXT_LIMIT, label="Organisation or sponsor")
    engagement_start = date_field(label="Engagement start")
    status = forms.ChoiceField(choices=Coachee.Status.choices, label="Status")
    background = text_field(
        LONG_TEXT_LIMIT,
        label="Background notes",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Context you want to remember: their role, what brought them to coaching.",
    )
    notes_consent_on = date_field(
        label="Agreed to notes being kept on",
        help_text="The date they agreed that you keep notes about your sessions. Leave it empty "
        "until they have.",
    )
    icf_log_listing = forms.BooleanField(
        required=False,
        label="They agreed to be listed on my ICF coaching log",
        help_text="Tick only once they have said yes; until then, leave their name off your log.",
    )

    FIELDS = (
        "name",
        "preferred_name",
        "pronouns",
        "email",
        "organisation",
        "engagement_start",
        "status",
        "background",
        "notes_consent_on",
        "icf_log_listing",
    )
    DATE_FIELDS = ("engagement_start", "notes_consent_on")

    def clean_notes_consent_on(self) -> date | None:
        value: date | None = self.cleaned_data["notes_consent_on"]
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(
                "Enter the day they agreed, which cannot be later than today."
            )
        return value

    def copy_to(self, coachee: Coachee) -> list[str]:
        """Copy cleaned values onto the coachee; return the changed field names."""
        for name in self.FIELDS:
            value = self.cleaned_data[name]
            if value is None and name not in self.DATE_FIELDS:
                value = ""
            setattr(coachee, name, value)
        return list(self.FIELDS)

    @classmethod
    def initial_for(cls, coachee: Coachee) -> dict[str, object]:
        return {name: getattr(coachee, name) for name in cls.FIELDS}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Coachee.Status.choices)


class HandoverForm(forms.Form):
    """Offer a coachee to another coach: to whom, and the coachee's consent."""

    to_coach = forms.ChoiceField(
        label="Hand over to",
        error_messages={
            "required": "Choose the coach who will take them on.",
            "invalid_choice": "Choose one of the firm's coaches in the list.",
        },
    )
    consent_on = date_field(
        label="They agreed to the hand-over on",
        required=True,
    )
    consent_how = forms.ChoiceField(
        choices=Handover.Consent.choices,
        widget=forms.RadioSelect,
        label="How they agreed",
        error_messages={"required": "Say how they agreed: in writing, or spoken."},
    )
    consent_note = text_field(
        2_000,
        label="Note on their consent (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example where their email is filed. Sealed like your other notes.",
    )
    confirm = forms.BooleanField(
        label="They agreed that their records, notes included, go to this coach",
        error_messages={"required": "Tick to confirm they agreed: nothing moves without it."},
    )

    def __init__(self, *args: Any, receivers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_coach"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a coach"), *receivers]
        self.fields["consent_on"].error_messages["required"] = (
            "Enter the day they agreed: a hand-over needs their consent."
        )

    def clean_consent_on(self) -> date:
        value: date = self.cleaned_data["consent_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "Enter the day they agreed, which cannot be later than today."
            )
        return value
