"""The template library: browse, copy, edit (new versions), retire, delete, share, defaults."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.coachees.models import Coachee
from debrief.journal.access import get_session_for_user
from debrief.journal.models import Reflection
from debrief.lib.http import AuthedRequest
from debrief.prompts import editor, exchange, library
from debrief.prompts.access import get_own_template, get_template_for_user
from debrief.prompts.definition import DefinitionError, parse
from debrief.prompts.models import ReflectionTemplate, usable_templates

NAME_LIMIT = 120
DESCRIPTION_LIMIT = 1_000


def _templates(request: AuthedRequest) -> list[ReflectionTemplate]:
    found = list(ReflectionTemplate.objects.for_coach(request.user))
    return sorted(found, key=lambda t: t.sort_key)


@login_required
@require_GET
def template_library(request: AuthedRequest) -> HttpResponse:
    templates = _templates(request)
    default = request.user.default_template_id
    ctx = {
        "builtins": [t for t in templates if t.is_builtin],
        "own": [t for t in templates if not t.is_builtin and not t.retired],
        "retired": [t for t in templates if not t.is_builtin and t.retired],
        "default_id": default,
        "uses_brief_default": default is None,
    }
    return render(request, "prompts/library.html", ctx)


@login_required
@require_GET
def template_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    template = get_template_for_user(request, code)
    version = template.latest_version()
    ctx = {
        "template": template,
        "version": version,
        "definition": version.parsed,
        "version_count": template.versions.count(),
        "in_use": template.in_use(),
        "is_default": request.user.default_template_id == template.pk,
    }
    return render(request, "prompts/detail.html", ctx)


@login_required
@require_POST
def template_copy(request: AuthedRequest, code: UUID) -> HttpResponse:
    source = get_template_for_user(request, code)
    template = library.copy_template(source, request.user)
    messages.success(request, f"“{template.name}” is yours to adapt. Save when you are happy.")
    return redirect("template_edit", code=template.code)


def _editor_ctx(
    template: ReflectionTemplate,
    working: dict[str, Any],
    error: str = "",
    error_field: str = "",
) -> dict[str, Any]:
    try:
        preview = parse(editor.definition_of(working))
        problem = ""
    except DefinitionError as found:
        preview, problem = None, str(found)
    return {
        "template": template,
        "working": working,
        "rows": editor.rows(working),
        "definition": preview,
        "problem": problem,
        "error": error,
        "error_field": error_field,
        "kind_choices": editor.kind_choices(),
        "phase_choices": editor.PHASE_CHOICES,
    }


def _working_of(template: ReflectionTemplate) -> dict[str, Any]:
    definition = template.latest_version().definition
    return {
        "name": template.name,
        "description": template.description,
        "sections": definition["sections"],
    }


def _check_names(working: dict[str, Any]) -> tuple[str, str]:
    if not working["name"]:
        return "Give the template a name.", "name"
    if len(working["name"]) > NAME_LIMIT:
        return f"Keep the name to {NAME_LIMIT} characters.", "name"
    if len(working["description"]) > DESCRIPTION_LIMIT:
        return f"Keep the description to {DESCRIPTION_LIMIT} characters.", "description"
    for field in ("name", "description"):
        # PostgreSQL cannot store a NUL in text; nobody means to type one.
        if "\x00" in working[field]:
            return f"The {field} contains a null character: remove it and save again.", field
    return "", ""


def _save(
    request: AuthedRequest, template: ReflectionTemplate, working: dict[str, Any]
) -> HttpResponse:
    error, error_field = _check_names(working)
    if not error:
        try:
            definition = parse(editor.definition_of(working))
        except DefinitionError as problem:
            error, error_field = f"Not saved: {problem}", editor.field_for(problem)
        else:
            version = library.save_version(
                template, working["name"], working["description"], definition
            )
            if version is None:
                messages.success(request, "Saved. The prompts did not change, so no new version.")
            else:
                messages.success(
                    request,
                    f"Saved as version {version.number}. Reflections already written keep "
                    "the version they were written with.",
                )
            return redirect("template_detail", code=template.code)
    ctx = _editor_ctx(template, working, error, error_field)
    return render(request, "prompts/editor.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    template = get_template_for_user(request, code)
    if template.is_builtin:
        messages.info(request, "Built-in templates stay as they are: make a copy to adapt.")
        return redirect("template_detail", code=template.code)
    if request.method == "GET":
        return render(request, "prompts/editor.html", _editor_ctx(template, _working_of(template)))
    working = editor.from_form(request.POST)
    op = request.POST.get("op", "")
    if op == "save":
        return _save(request, template, working)
    working, anchor = editor.apply(working, op)
    verb = op.partition(":")[0]
    ctx = _editor_ctx(template, working) | {"focus": f"{anchor}-{verb}" if anchor else ""}
    return render(request, "prompts/editor.html", ctx)


@login_required
@require_POST
def template_preview(request: AuthedRequest, code: UUID) -> HttpResponse:
    """htmx: the form the coach will fill, from the editor's working copy (nothing saved)."""
    template = get_own_template(request, code)
    working = editor.from_form(request.POST)
    try:
        definition = parse(editor.definition_of(working))
    except DefinitionError as problem:
        ctx = {"template": template, "problem": str(problem)}
    else:
        ctx = {"template": template, "definition": definition}
    return render(request, "prompts/_preview.html", ctx)


@login_required
@require_POST
def template_retire(request: AuthedRequest, code: UUID) -> HttpResponse:
    template = get_own_template(request, code)
    retire = request.POST.get("retired", "1") != "0"
    template.retired = retire
    template.save(update_fields=["retired"])
    if retire:
        messages.success(
            request,
            f"“{template.name}” is retired: it is no longer offered for new reflections. "
            "Reflections written with it are unchanged.",
        )
    else:
        messages.success(request, f"“{template.name}” is back in use.")
    return redirect("template_detail", code=template.code)


@login_required
@require_http_methods(["GET", "POST"])
def template_delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    template = get_own_template(request, code)
    in_use = template.in_use()
    if request.method == "POST":
        if library.delete(template):
            messages.success(request, f"“{template.name}” was deleted.")
            return redirect("template_library")
        messages.error(
            request,
            "This template was used for reflections, so it cannot be deleted. Retire it "
            "instead: it stops being offered, and those reflections stay as they are.",
        )
        return redirect("template_detail", code=template.code)
    return render(request, "prompts/delete.html", {"template": template, "in_use": in_use})


@login_required
@require_GET
def template_export(request: AuthedRequest, code: UUID) -> HttpResponse:
    template = get_template_for_user(request, code)
    version = template.latest_version()
    text = exchange.to_yaml(template.name, template.description, version.parsed)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    filename = f"{template.slug if template.is_builtin else 'template'}.debrief.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def template_import(request: AuthedRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Choose a template file (.yaml) to import."
        else:
            try:
                found = exchange.read(upload.read(exchange.MAX_BYTES + 1))
            except exchange.ImportProblem as problem:
                error = str(problem)
            else:
                name = library.free_name(request.user, found.name)
                definition = found.definition
                if name != found.name:
                    definition = replace(definition, title=name)
                template = library.create(request.user, name, found.description, definition)
                said = f"Imported “{template.name}”. Look it over below."
                if name != found.name:
                    said = (
                        f"Imported as “{name}”: you already have a template called "
                        f"“{found.name}”. Rename either of them when you edit it."
                    )
                messages.success(request, said)
                return redirect("template_detail", code=template.code)
    return render(request, "prompts/import.html", {"error": error})


def _choosable(request: AuthedRequest) -> list[ReflectionTemplate]:
    return usable_templates(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def template_defaults(request: AuthedRequest) -> HttpResponse:
    templates = _choosable(request)
    by_code = {str(t.code): t for t in templates}
    coachees = sorted(
        Coachee.objects.for_coach(request.user).filter(
            status__in=[Coachee.Status.ACTIVE, Coachee.Status.PAUSED]
        ),
        key=lambda c: c.display_name.casefold(),
    )
    if request.method == "POST":
        unknown = [
            v for k, v in request.POST.items() if k.startswith("default") and v and v not in by_code
        ]
        if unknown:
            messages.error(request, "One of the templates chosen is no longer available.")
            return redirect("template_defaults")
        user = request.user
        user.default_template = by_code.get(request.POST.get("default", ""))
        user.save(update_fields=["default_template"])
        for coachee in coachees:
            chosen = by_code.get(request.POST.get(f"default-{coachee.code}", ""))
            if coachee.default_template_id != (chosen.pk if chosen else None):
                coachee.default_template = chosen
                coachee.save(update_fields=["default_template", "updated"])
        messages.success(request, "Default templates saved. They apply to new sessions.")
        return redirect("template_library")
    ctx = {"templates": templates, "coachees": coachees}
    return render(request, "prompts/defaults.html", ctx)


def _has_answers(reflection: Reflection) -> bool:
    return (
        reflection.answers.exists()
        or reflection.technique_uses.exists()
        or reflection.session.action_items.exists()
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflection_template(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Choose the template of a reflection not yet complete; answers that fit are kept."""
    session = get_session_for_user(request, code)
    reflection = session.reflection
    if reflection.status == Reflection.Status.COMPLETE:
        messages.info(
            request, "This reflection is complete. Mark it as a draft to change its template."
        )
        return redirect("reflection_view", code=session.code)
    templates = _choosable(request)
    current = reflection.template_version.template
    ctx: dict[str, Any] = {"session": session, "templates": templates, "current": current}
    if request.method == "POST":
        chosen = {str(t.code): t for t in templates}.get(request.POST.get("template", ""))
        if chosen is None:
            messages.error(request, "Choose one of the templates listed.")
            return redirect("reflection_template", code=session.code)
        version = chosen.latest_version()
        if version.pk == reflection.template_version_id:
            return redirect("reflection_edit", code=session.code)
        kept, hidden = library.kept_answers(reflection, version.parsed)
        if hidden and request.POST.get("confirm") != "yes":
            ctx |= {"chosen": chosen, "kept": kept, "hidden": hidden}
            return render(request, "prompts/switch_confirm.html", ctx)
        reflection.template_version = version
        reflection.save(update_fields=["template_version", "updated"])
        messages.success(request, f"This reflection now uses “{chosen.name}”.")
        return redirect("reflection_edit", code=session.code)
    ctx["has_answers"] = _has_answers(reflection)
    return render(request, "prompts/switch.html", ctx)
