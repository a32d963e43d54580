"""A coachee's dossier as a PDF: the chosen details, goals with their charts, every session.

``draw`` is shared by the direct download (``views.coachee_pdf``) and the background job the
export page starts (``dossier_jobs``); ``progress`` hears how many sessions have been read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.exports import render as files
from debrief.exports.document import build
from debrief.exports.forms import DETAILS
from debrief.exports.records import records
from debrief.followup.progress import goal_tracks
from debrief.journal.models import CoachingSession
from debrief.lib.charts import standalone

Progress = Callable[[int], None]


def sessions(coach: Any, coachee: Coachee, data: dict[str, Any]) -> QuerySet[CoachingSession]:
    qs = CoachingSession.objects.for_coach(coach).filter(coachee=coachee)
    if data.get("date_from"):
        qs = qs.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(date__lte=data["date_to"])
    return qs


def details(coachee: Coachee, chosen: list[str]) -> list[tuple[str, str]]:
    values = {
        "name": coachee.name,
        "pronouns": coachee.pronouns,
        "email": coachee.email,
        "organisation": coachee.organisation,
        "engagement_start": coachee.engagement_start.strftime("%-d %B %Y")
        if coachee.engagement_start
        else "",
        "background": coachee.background,
    }
    return [(label, values[key]) for key, label in DETAILS if key in chosen and values[key]]


def draw(
    coach: Any, coachee: Coachee, data: dict[str, Any], progress: Progress | None = None
) -> tuple[bytes, int]:
    """The dossier's PDF and how many sessions it holds."""
    docs = []
    for record in records([coachee], sessions(coach, coachee, data)):
        docs.append(build(record))
        if progress and len(docs) % 10 == 0:
            progress(len(docs))
    tracks = goal_tracks(coachee, date_from=data["date_from"], date_to=data["date_to"])
    cover = {
        "coachee": coachee,
        "details": details(coachee, data["details"]),
        "goals": [(t, standalone(t.chart) if t.chart else "") for t in tracks],
        "date_from": data["date_from"],
        "date_to": data["date_to"],
        "today": timezone.localdate(),
    }
    title = f"{coachee.display_name}: coaching dossier"
    body = files.pdf(docs, title, cover="exports/_dossier_cover.html", **cover)
    return body, len(docs)
