"""The practice page, the bodies and their progress, and each body's logs as files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from debrief.coachees.models import Coachee
from debrief.lib.http import AuthedRequest
from debrief.lib.pdf import render_pdf
from debrief.lib.sheets import XLSX_TYPE, to_csv, to_xlsx
from debrief.practice.bodies import BODIES, Choice
from debrief.practice.due import due_items
from debrief.practice.forms import BodiesForm
from debrief.practice.gather import choices_of, gather, progress_of
from debrief.practice.logs import LOGS, log_data
from debrief.practice.models import (
    BodyChoice,
    ClientFeedback,
    ClientFlags,
    CPDEntry,
    MentoringEntry,
    PracticeProfile,
    SupervisionEntry,
)
from debrief.web.downloads import download

RECENT = 8  # entries of each kind on the practice page


def _recent(model: Any, request: AuthedRequest) -> tuple[list[Any], int]:
    qs = model.objects.for_coach(request.user)
    latest = qs.order_by("-date", "-pk")
    if model is ClientFeedback:
        latest = latest.select_related("coachee")
    return list(latest[:RECENT]), qs.count()


@login_required
@require_GET
def practice(request: AuthedRequest) -> HttpResponse:
    facts = gather(request.user)
    progress = progress_of(request.user, facts)
    feedback, feedback_count = _recent(ClientFeedback, request)
    ctx: dict[str, Any] = {
        "progress": progress,
        "facts": facts,
        "due": due_items(request.user, facts, progress),
        "supervision": _recent(SupervisionEntry, request),
        "mentoring": _recent(MentoringEntry, request),
        "cpd": _recent(CPDEntry, request),
        "feedback": (feedback, feedback_count),
        "reflections_12m": sum(1 for d in facts.reflections if (facts.today - d).days < 365),
    }
    return render(request, "practice/page.html", ctx)


def _setup_initial(request: AuthedRequest) -> dict[str, Any]:
    profile = PracticeProfile.objects.for_coach(request.user).first()
    initial: dict[str, Any] = {"training_hours": 0}
    if profile:
        initial = {
            "first_practised_on": profile.first_practised_on,
            "training_hours": profile.training_hours.normalize(),
        }
    for key, choice in choices_of(request.user).items():
        initial.update(
            {
                f"{key}_on": True,
                f"{key}_level": choice.level_held,
                f"{key}_awarded": choice.awarded_on,
            }
        )
        if key == "ac":
            initial["ac_route"] = choice.route
    return initial


def _save_setup(request: AuthedRequest, data: dict[str, Any]) -> None:
    with transaction.atomic():
        PracticeProfile.objects.update_or_create(
            coach=request.user,
            defaults={
                "first_practised_on": data["first_practised_on"],
                "training_hours": data["training_hours"] or 0,
            },
        )
        for key in BODIES:
            if not data[f"{key}_on"]:
                BodyChoice.objects.for_coach(request.user).filter(body=key).delete()
                continue
            BodyChoice.objects.update_or_create(
                coach=request.user,
                body=key,
                defaults={
                    "level_held": data[f"{key}_level"],
                    "awarded_on": data[f"{key}_awarded"],
                    "route": data.get("ac_route", "") if key == "ac" else "",
                },
            )


@login_required
@require_http_methods(["GET", "POST"])
def practice_setup(request: AuthedRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = BodiesForm(data, initial=_setup_initial(request))
    if request.method == "POST":
        if form.is_valid():
            _save_setup(request, form.cleaned_data)
            messages.success(request, "Your bodies and practice details were saved.")
            return redirect("practice")
        messages.error(request, "Nothing was saved yet. Check the fields marked below.")
    return render(request, "practice/setup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def practice_clients(request: AuthedRequest) -> HttpResponse:
    coachees = sorted(
        Coachee.objects.for_coach(request.user), key=lambda c: c.display_name.casefold()
    )
    flagged = set(
        ClientFlags.objects.for_coach(request.user)
        .filter(executive=True)
        .values_list("coachee_id", flat=True)
    )
    if request.method == "POST":
        chosen = set(request.POST.getlist("executive"))
        with transaction.atomic():
            for c in coachees:
                ClientFlags.objects.update_or_create(
                    coach=request.user, coachee=c, defaults={"executive": str(c.code) in chosen}
                )
        messages.success(request, "Saved which coachees you coach as executives.")
        return redirect("practice_clients")
    rows = [(c, c.pk in flagged) for c in coachees]
    return render(request, "practice/clients.html", {"rows": rows})


def _body(key: str) -> Any:
    body = BODIES.get(key)
    if body is None:
        raise Http404
    return body


def _body_progress(request: AuthedRequest, key: str, names: bool = False) -> tuple[Any, Any, Any]:
    body = _body(key)
    facts = gather(request.user, names=names)
    choice = choices_of(request.user).get(key, Choice())
    return body, facts, body.progress(facts, choice)


@login_required
@require_GET
def practice_progress(request: AuthedRequest, body: str) -> HttpResponse:
    spec, facts, progress = _body_progress(request, body)
    ctx = {
        "body": spec,
        "progress": progress,
        "chosen": body in choices_of(request.user),
        "logs": LOGS[body],
        "facts": facts,
    }
    return render(request, "practice/progress.html", ctx)


def _filename(body: str, slug: str, extension: str) -> str:
    return f"debrief-{body}-{slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@require_GET
def practice_log(request: AuthedRequest, body: str, slug: str, fmt: str) -> HttpResponse:
    spec = next((s for s in LOGS.get(body, ()) if s.slug == slug), None)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404
    sheet = spec.build(log_data(request.user, gather(request.user, names=True)))
    if fmt == "csv":
        content, kind = to_csv(sheet), "text/csv; charset=utf-8"
        return download(request, content, kind, _filename(body, slug, fmt), f"{body}-{slug}-csv")
    return download(
        request, to_xlsx([sheet]), XLSX_TYPE, _filename(body, slug, fmt), f"{body}-{slug}-xlsx"
    )


@login_required
@require_GET
def practice_workbook(request: AuthedRequest, body: str) -> HttpResponse:
    _body(body)
    data = log_data(request.user, gather(request.user, names=True))
    sheets = [spec.build(data) for spec in LOGS[body]]
    name = _filename(body, "logs", "xlsx")
    return download(request, to_xlsx(sheets), XLSX_TYPE, name, f"{body}-logs-xlsx")


@login_required
@require_GET
def practice_portfolio(request: AuthedRequest, body: str) -> HttpResponse:
    spec, facts, progress = _body_progress(request, body, names=True)
    data = log_data(request.user, facts)
    ctx = {
        "body": spec,
        "progress": progress,
        "sheets": [s.build(data) for s in LOGS[body]],
        "coach": request.user,
        "today": facts.today,
    }
    html = render_to_string("practice/portfolio.html", ctx, request=request)
    name = _filename(body, "portfolio", "pdf")
    return download(request, render_pdf(html), "application/pdf", name, f"{body}-portfolio-pdf")
