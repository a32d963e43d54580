"""The exports' forms: a date range, a dossier's details, a pack's choice, redactions."""

from __future__ import annotations

from typing import Any

from django import forms

from debrief.exports.models import NOTE_LIMIT
from debrief.lib.forms import date_field, text_field

DETAILS = (
    ("name", "Full name"),
    ("pronouns", "Pronouns"),
    ("email", "Email"),
    ("organisation", "Organisation or sponsor"),
    ("engagement_start", "Engagement start"),
    ("background", "Background notes"),
)
DEFAULT_DETAILS = ("name", "pronouns", "engagement_start")


class RangeForm(forms.Form):
    date_from = date_field(label="From")
    date_to = date_field(label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                "The start date is after the end date. Swap them, or leave one empty."
            )
        return data


class DossierForm(RangeForm):
    details = forms.MultipleChoiceField(
        choices=DETAILS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Their details to include",
        error_messages={"invalid_choice": "Choose from the details listed."},
    )


class PackForm(RangeForm):
    flagged_only = forms.BooleanField(required=False, label="Only sessions marked for supervision")
    coachee = forms.ChoiceField(required=False, label="Coachee")

    def __init__(self, *args: Any, coachees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coachee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Every coachee"), *coachees]
        field.error_messages["invalid_choice"] = "Choose one of your coachees, or every coachee."


class FlagForm(forms.Form):
    for_supervision = forms.BooleanField(required=False, label="Take this session to supervision")
    note = text_field(NOTE_LIMIT, label="What to bring", widget=forms.Textarea(attrs={"rows": 4}))
