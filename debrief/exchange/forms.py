from __future__ import annotations

from typing import Any

from django import forms

from debrief.coachees.models import Coachee
from debrief.exchange.retention import YEAR_CHOICES


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        max_length=200,
        required=True,
        label="Their name",
        strip=True,
        error_messages={"required": "Type their name to confirm, or go back to keep them."},
    )

    def __init__(self, *args: Any, coachee: Coachee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coachee = coachee

    def clean_confirm_name(self) -> str:
        typed: str = self.cleaned_data["confirm_name"]
        names = {_normalised(n) for n in (self.coachee.name, self.coachee.preferred_name) if n}
        if _normalised(typed) not in names:
            raise forms.ValidationError(
                f"That is not their name. Type {self.coachee.name} exactly as shown, "
                "or go back to keep them."
            )
        return typed


class RetentionForm(forms.Form):
    years = forms.TypedChoiceField(
        choices=[
            ("", "Off: keep everything until I erase it"),
            *[
                (str(n), f"{n} year{'s' if n > 1 else ''} after the last session")
                for n in YEAR_CHOICES
            ],
        ],
        coerce=int,
        empty_value=None,
        required=False,
        label="Delete completed engagements",
        error_messages={"invalid_choice": "Choose one of the listed periods, or Off."},
    )


class RetentionApplyForm(forms.Form):
    """The coachees the coach saw listed: only they can go, and only if they still qualify."""

    coachee = forms.TypedMultipleChoiceField(required=False, coerce=str)

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coachee"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(c, c) for c in codes]
