"""The search form: the words, the filters and the order, all from the query string."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator

from debrief.journal.models import Reflection
from debrief.lib.forms import date_field
from debrief.lib.words import MAX_QUERY

SORT_CHOICES = [("best", "Best match"), ("newest", "Newest first")]
STATE_CHOICES = [("", "Any state"), *Reflection.Status.choices]
CHOICE_MESSAGE = "That choice is not in the list any more. Pick one from the list and search again."


class _Listed(BaseChoiceIterator):
    """Choices already in their final shape, (value, label) pairs: Django normalises a plain
    list again for the field and for its widget at every search (400 coachees at 10,000
    sessions), and leaves an iterator of this kind as it is."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=MAX_QUERY,
        strip=True,
        label="Search your notes",
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY} characters at a time: shorten it."
        },
    )
    coachee = forms.ChoiceField(required=False, label="Coachee")
    date_from = date_field(label="From")
    date_to = date_field(label="To")
    section = forms.ChoiceField(required=False, label="Section")
    technique = forms.ChoiceField(required=False, label="Technique used")
    state = forms.ChoiceField(required=False, label="Reflection", choices=STATE_CHOICES)
    sort = forms.ChoiceField(required=False, label="Order", choices=SORT_CHOICES)

    def __init__(
        self,
        data: Any,
        *,
        coachees: list[tuple[str, str]],
        sections: list[tuple[str, str]],
        techniques: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        lists = {
            "coachee": [("", "Every coachee"), *coachees],
            "section": [("", "Every section"), *sections],
            "technique": [("", "Any technique"), *techniques],
        }
        for name, choices in lists.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = _Listed(choices)
        for name in ("coachee", "section", "technique", "state", "sort"):
            self.fields[name].error_messages["invalid_choice"] = CHOICE_MESSAGE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", "This date is before the “From” date. Swap them, or clear one."
            )
        return data

    @property
    def filtering(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(
            data.get(n)
            for n in ("coachee", "date_from", "date_to", "section", "technique", "state")
        )
