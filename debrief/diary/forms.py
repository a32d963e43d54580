from __future__ import annotations

from django import forms

from debrief.diary.models import FeedToken
from debrief.diary.reader import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Calendar file (.ics)",
        help_text=(
            "Export it from Google Calendar, Outlook, Apple Calendar or Thunderbird. Debrief "
            "reads the last 90 days and the next 180, and changes nothing until you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def read(self) -> bytes:
        upload = self.cleaned_data["file"]
        # One byte more than the bound, so a larger file is recognised without reading it all.
        return bytes(upload.read(MAX_BYTES + 1))


class FeedForm(forms.Form):
    url = forms.CharField(
        label="Private address of your calendar",
        max_length=2000,
        help_text=(
            "In Google Calendar: Settings, your calendar, “Secret address in iCal format”. In "
            "Outlook: Settings, Calendar, Shared calendars, “Publish a calendar” (ICS link). In "
            "Apple Calendar: share the calendar publicly and copy the webcal:// address."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class FeedOutForm(forms.Form):
    detail = forms.ChoiceField(
        label="What each event says",
        choices=FeedToken.Detail.choices,
        initial=FeedToken.Detail.NUMBER,
        widget=forms.RadioSelect,
    )
    names_understood = forms.BooleanField(
        required=False,
        label=(
            "I understand that my calendar provider will keep my coachees' names, "
            "unencrypted, outside Debrief."
        ),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("detail") == FeedToken.Detail.NAMES and not data.get("names_understood"):
            self.add_error(
                "names_understood",
                "Tick this to put names in your calendar, or choose initials or numbers.",
            )
        return data
