from __future__ import annotations

from django import forms

from debrief.coachees.models import Coachee
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

    FIELDS = (
        "name",
        "preferred_name",
        "pronouns",
        "email",
        "organisation",
        "engagement_start",
        "status",
        "background",
    )

    def copy_to(self, coachee: Coachee) -> list[str]:
        """Copy cleaned values onto the coachee; return the changed field names."""
        for name in self.FIELDS:
            value = self.cleaned_data[name]
            setattr(coachee, name, "" if value is None and name != "engagement_start" else value)
        return list(self.FIELDS)

    @classmethod
    def initial_for(cls, coachee: Coachee) -> dict[str, object]:
        return {name: getattr(coachee, name) for name in cls.FIELDS}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Coachee.Status.choices)
