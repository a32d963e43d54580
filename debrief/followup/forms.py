from __future__ import annotations

from django import forms
from django.utils import timezone

from debrief.followup.models import Goal
from debrief.lib.forms import date_field, text_field
from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT


class GoalForm(forms.Form):
    title = text_field(
        SHORT_TEXT_LIMIT,
        required=True,
        label="Goal",
        help_text="In their words if you can, e.g. “Lead team meetings with confidence”.",
        error_messages={"required": "Write the goal in a few words."},
    )
    description = text_field(
        LONG_TEXT_LIMIT,
        label="What success looks like",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional: how you and they will know it is achieved.",
    )
    target_date = date_field(label="Target date", help_text="Optional.")
    status = forms.ChoiceField(choices=Goal.Status.choices, label="Status")

    FIELDS = ("title", "description", "target_date", "status")

    def copy_to(self, goal: Goal) -> list[str]:
        for name in self.FIELDS:
            value = self.cleaned_data[name]
            setattr(goal, name, "" if value is None and name != "target_date" else value)
        return list(self.FIELDS)

    @classmethod
    def initial_for(cls, goal: Goal) -> dict[str, object]:
        return {name: getattr(goal, name) for name in cls.FIELDS}


def save_goal(form: GoalForm, goal: Goal) -> None:
    """Saves the form into the goal; a goal closed or opened again notes when."""
    was = goal.status
    form.copy_to(goal)
    if goal.status != was:
        goal.closed_at = None if goal.status == Goal.Status.ACTIVE else timezone.now()
    goal.save()
