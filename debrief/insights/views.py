from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from debrief.insights import tables
from debrief.insights.progress import coachee_progress, progress_table
from debrief.insights.ratings import ABOUT_THE_COACHEE, rating_trends
from debrief.insights.repertoire import repertoire
from debrief.insights.rhythm import rhythm
from debrief.insights.scope import FilterForm, Scope, coachees_of, templates_used
from debrief.insights.themes import themes
from debrief.lib.http import AuthedRequest
from debrief.practice.due import home_due


def _coachee_part(scope: Scope) -> dict[str, Any]:
    if scope.coachee is None:
        rows = progress_table(scope)
        return {
            "progress_rows": rows,
            "progress_table": tables.progress_rows(rows),
            "coachee_links": tables.coachee_links(rows),
        }
    progress = coachee_progress(scope, scope.coachee)
    found = themes(scope, scope.coachee)
    return {
        "progress": progress,
        "goals_chart": progress.goals_chart() if progress.has_goal_scores else "",
        "engagement_chart": progress.engagement_chart(),
        "themes": found,
        "theme_rows": [(t, tables.theme_sessions(t)) for t in found.themes],
    }


@login_required
@require_GET
def insights(request: AuthedRequest) -> HttpResponse:
    coach = request.user
    form = FilterForm(request.GET or None, coachees_of(coach), templates_used(coach))
    scope = form.scope(coach, timezone.localdate())
    trends = [t for t in rating_trends(scope) if t.key not in ABOUT_THE_COACHEE]
    practice = rhythm(scope)
    ctx: dict[str, Any] = {
        "form": form,
        "scope": scope,
        "repertoire": repertoire(scope),
        "trends": [(t, t.chart(), tables.point_rows(t.points)) for t in trends],
        "rhythm": practice,
        "month_rows": tables.month_rows(practice.months),
        "hours_chart": practice.hours_chart(),
        "habit_chart": practice.habit_chart(),
        "coachees_chart": practice.coachees_chart(),
        **_coachee_part(scope),
        "due": home_due(coach),
    }
    return render(request, "insights/page.html", ctx)
