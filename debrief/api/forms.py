from __future__ import annotations

from django import forms

from debrief.api.models import ApiToken
from debrief.lib.forms import text_field

EXPIRY_CHOICES = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("365", "1 year")]


class TokenForm(forms.Form):
    name = text_field(
        60,
        required=True,
        label="Name",
        help_text="What it is for, e.g. “Weekly hours spreadsheet”. Not a coachee's name.",
        error_messages={"required": "Give the token a name, so you can tell it apart later."},
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        label="Access",
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose read only, or read and write."},
    )
    days = forms.TypedChoiceField(
        choices=EXPIRY_CHOICES,
        coerce=int,
        label="Expires after",
        initial="30",
        error_messages={"invalid_choice": "Choose one of the listed periods."},
    )
