from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from debrief.lib.http import AuthedRequest
from debrief.reminders.digest import build_digest, is_quiet
from debrief.reminders.forms import ReminderForm
from debrief.reminders.models import ReminderSettings


def _prefs_for_user(request: AuthedRequest) -> ReminderSettings:
    prefs = ReminderSettings.objects.for_coach(request.user).first()
    return prefs or ReminderSettings(coach=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: AuthedRequest) -> HttpResponse:
    prefs = _prefs_for_user(request)
    form = ReminderForm(request.POST or None, initial=ReminderForm.initial_for(prefs))
    if request.method == "POST" and form.is_valid():
        fields = form.copy_to(prefs)
        if prefs.pk is None:
            prefs.save()
        else:
            prefs.save(update_fields=[*fields, "updated"])
        messages.success(request, "Reminders saved.")
        return redirect("reminders")
    preview = ReminderSettings(**{**ReminderForm.initial_for(prefs), "coach": request.user})
    if preview.frequency == ReminderSettings.Frequency.OFF:
        preview.frequency = ReminderSettings.Frequency.DAILY
    ctx = {
        "form": form,
        "prefs": prefs,
        "digest": build_digest(preview),
        "send_in_quiet": is_quiet(prefs, prefs.send_hour),
        "to": request.user.email,
        "zone": timezone.get_current_timezone_name(),
    }
    return render(request, "reminders/reminders.html", ctx)
