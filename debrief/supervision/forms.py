"""Sharing with a supervisor, and the session a supervisor records: plain forms, clear words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from debrief.lib.forms import date_field, text_field
from debrief.practice.forms import hours_field
from debrief.practice.models import Mode
from debrief.privacy.fields import LONG_TEXT_LIMIT

LONGEST_SHARE = 366  # days: a share is for a stretch of supervision, not for ever
MAX_SHARED_SESSIONS = 60  # as many as a supervision pack holds
WHAT = (("pack", "A supervision pack"), ("reflections", "Chosen reflections"))


class ShareForm(forms.Form):
    supervisor = forms.ChoiceField(
        label="Supervisor",
        error_messages={
            "required": "Choose the supervisor to share with.",
            "invalid_choice": (
                "Choose one of the firm's supervisors listed. Only people who hold the "
                "supervisor role and can sign in are offered."
            ),
        },
    )
    what = forms.ChoiceField(
        label="What to share",
        choices=WHAT,
        widget=forms.RadioSelect,
        initial="pack",
        error_messages={
            "required": "Choose a pack or reflections to share.",
            "invalid_choice": "Choose a pack or reflections to share.",
        },
    )
    pack = forms.ChoiceField(
        label="Supervision pack",
        required=False,
        error_messages={"invalid_choice": "Choose one of your own packs listed."},
    )
    sessions = forms.MultipleChoiceField(
        label="Reflections",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose among your own reflections listed."},
    )
    show_names = forms.BooleanField(
        label="Show my coachees' names to the supervisor",
        required=False,
        help_text=(
            "Off by default: coachees are “Client A”, “Client B”, as in a pack. "
            "A pack is always pseudonymised."
        ),
    )
    starts = date_field(required=True, label="From")
    ends = date_field(required=True, label="Until (included)")

    def __init__(
        self,
        *args: Any,
        supervisors: list[tuple[str, str]],
        packs: list[tuple[str, str]],
        sessions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].choices = [("", "Choose a supervisor"), *supervisors]  # type: ignore[attr-defined]
        self.fields["pack"].choices = [("", "Choose a pack"), *packs]  # type: ignore[attr-defined]
        self.fields["sessions"].choices = sessions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        what = data.get("what")
        if what == "pack" and not data.get("pack"):
            self.add_error("pack", "Choose the pack to share, or share chosen reflections.")
        if what == "reflections":
            chosen = data.get("sessions") or []
            if not chosen:
                self.add_error("sessions", "Tick at least one reflection to share.")
            elif len(chosen) > MAX_SHARED_SESSIONS:
                self.add_error(
                    "sessions", f"Share at most {MAX_SHARED_SESSIONS} reflections at once."
                )
        self._clean_period(data)
        return data

    def _clean_period(self, data: dict[str, Any]) -> None:
        starts, ends = data.get("starts"), data.get("ends")
        if not starts or not ends:
            return
        if starts > ends:
            self.add_error("ends", "The end is before the start. Swap the dates.")
        elif ends < timezone.localdate():
            self.add_error("ends", "That period is already over. Choose an end from today on.")
        elif ends - starts > timedelta(days=LONGEST_SHARE):
            self.add_error(
                "ends", "A share lasts at most a year. Choose an earlier end; you can share again."
            )


class RecordForm(forms.Form):
    """A supervision session, as the supervisor records it for the coach."""

    date = date_field(required=True, label="Date of the supervision")
    hours = hours_field("Duration in hours")
    mode = forms.ChoiceField(
        label="One to one or in a group",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        initial=Mode.INDIVIDUAL,
        error_messages={"invalid_choice": "Choose one to one or group."},
    )
    themes = text_field(
        LONG_TEXT_LIMIT,
        required=True,
        label="Themes",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sealed like the coach's notes. Refer to coachees without their names.",
        error_messages={"required": "Write the themes you worked on, in a few words."},
    )
    sign_off = forms.BooleanField(
        required=False,
        label="I sign off these hours as the coach's supervisor",
    )

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "That date is in the future. Record a session once it has taken place."
            )
        return day
