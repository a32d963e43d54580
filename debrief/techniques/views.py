"""The coach's technique vocabulary: the built-in techniques and their own additions."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from debrief.lib.forms import text_field
from debrief.lib.http import AuthedRequest
from debrief.techniques.access import get_technique_for_user
from debrief.techniques.models import Technique


class TechniqueForm(forms.Form):
    name = text_field(80, required=True, label="Name")
    description = text_field(300, label="What it is, in a line")


def _add(request: AuthedRequest, form: TechniqueForm) -> bool:
    name = form.cleaned_data["name"].strip()
    slug = slugify(name)[:60] or "technique"
    taken = Technique.objects.available_to(request.user).filter(name__iexact=name).exists()
    if taken:
        form.add_error("name", f"“{name}” is already in your vocabulary.")
        return False
    try:
        with transaction.atomic():
            Technique.objects.create(
                coach=request.user,
                slug=slug,
                name=name,
                description=form.cleaned_data["description"].strip(),
            )
    except IntegrityError:
        form.add_error("name", "A technique with a very similar name exists; choose another.")
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def technique_list(request: AuthedRequest) -> HttpResponse:
    form = TechniqueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _add(request, form):
        messages.success(request, f"“{form.cleaned_data['name']}” added to your techniques.")
        return redirect("technique_list")
    techniques = list(Technique.objects.available_to(request.user))
    ctx = {
        "form": form,
        "builtin": [t for t in techniques if t.coach_id is None],
        "own": [t for t in techniques if t.coach_id is not None],
    }
    return render(request, "techniques/list.html", ctx)


@login_required
@require_POST
def technique_retire(request: AuthedRequest, code: UUID) -> HttpResponse:
    technique = get_technique_for_user(request, code)
    technique.retired = request.POST.get("retired", "1") != "0"
    technique.save(update_fields=["retired"])
    if technique.retired:
        messages.success(
            request,
            f"“{technique.name}” is no longer offered. Reflections that used it keep it.",
        )
    else:
        messages.success(request, f"“{technique.name}” is offered again.")
    return redirect("technique_list")
