from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from debrief.firm.models import ROLES, Invitation
from debrief.lib.forms import text_field

ROLE_HELP = {
    "administrator": "Manages accounts, settings and reports. Never sees coachees or notes.",
    "coach": "Keeps their own journal. Nobody else can read it.",
    "supervisor": "Sees only what a coach chooses to share with them.",
}


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Roles")
        super().__init__(
            choices=ROLES,
            error_messages={
                "required": "Choose at least one role.",
                "invalid_choice": "Choose from the roles listed.",
            },
            **kwargs,
        )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address to send the invitation to.",
            "invalid": "Enter a whole email address, like name@example.com.",
        },
    )
    roles = RolesField(initial=["coach"])

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone already has an account with this address: change their roles on the "
                "people page instead."
            )
        if any(i.is_pending for i in Invitation.objects.filter(email__iexact=email)):
            raise forms.ValidationError(
                "An invitation to this address is still waiting. Revoke it first to send a new one."
            )
        return email


class RolesForm(forms.Form):
    roles = RolesField(required=False)


class SettingsForm(forms.Form):
    name = text_field(
        100,
        required=False,
        label="Your firm's name",
        help_text="Shown in invitations, so people know who is inviting them.",
    )
    require_two_factor = forms.BooleanField(
        required=False,
        label="Everyone must use two-factor authentication",
        help_text=(
            "Anyone without it is asked to set it up with an authenticator app straight after "
            "signing in, before they can open anything else."
        ),
    )
