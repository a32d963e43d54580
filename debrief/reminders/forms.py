from __future__ import annotations

from django import forms

from debrief.reminders.models import ReminderSettings

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class ReminderForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Send me a reminder",
        choices=ReminderSettings.Frequency.choices,
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label="Day (for a weekly reminder)", choices=ReminderSettings.Weekday.choices, coerce=int
    )
    send_hour = forms.TypedChoiceField(label="At", choices=HOURS, coerce=int)
    quiet_start = forms.TypedChoiceField(label="Quiet from", choices=HOURS, coerce=int)
    quiet_end = forms.TypedChoiceField(label="until", choices=HOURS, coerce=int)
    include_names = forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_include_names_helptext"}),
        label="Put coachees' names in the email",
        help_text=(
            "Email usually passes through several providers and sits in your inbox unencrypted: "
            "with names, anyone who reads your email learns who you coach and when. Without "
            "them, the email gives counts, times and links only."
        ),
    )

    @classmethod
    def initial_for(cls, prefs: ReminderSettings) -> dict[str, object]:
        fields = ["frequency", "weekday", "send_hour", "quiet_start", "quiet_end", "include_names"]
        return {name: getattr(prefs, name) for name in fields}

    def copy_to(self, prefs: ReminderSettings) -> list[str]:
        fields = ["frequency", "weekday", "send_hour", "quiet_start", "quiet_end", "include_names"]
        for name in fields:
            setattr(prefs, name, self.cleaned_data[name])
        return fields
