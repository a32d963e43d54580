"""A coach's sessions read in bulk, each as a ``Record`` the answer kinds can render.

The exports (PDF, Markdown, the supervision pack) read many sessions at once: rows are read
per coachee and in chunks of sessions (a few queries per chunk, never per session), so memory
stays bounded however long the journal. ``scrub`` is applied to every text a coach wrote (and
to the coachee's name in session facts) before any kind sees it: the supervision pack passes
its pseudonymiser, every other export passes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from debrief.coachees.models import Coachee
from debrief.followup.carry import LAST_TIME_PREFIX
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.definition import Definition
from debrief.prompts.models import TemplateVersion
from debrief.techniques.models import Technique, TechniqueUse

CHUNK = 200  # sessions read together: a few queries per chunk, bounded memory
Scrub = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass
class SessionRecord:
    """One session and what its reflection stores (a ``Record`` for the kinds)."""

    session: CoachingSession
    reflection: Reflection
    answers: dict[str, Answer]
    actions: dict[str, ActionItem]
    uses: dict[tuple[str, str], TechniqueUse]
    goals: dict[str, Goal]
    progress: dict[str, GoalProgress]
    previous_scores: dict[str, int] = field(default_factory=dict)
    reviews: list[ActionReview] = field(default_factory=list)
    coachee_name: str = ""  # as the export shows it (a pseudonym in a supervision pack)

    @property
    def definition(self) -> Definition:
        return self.reflection.template_version.parsed

    @property
    def last_time(self) -> list[tuple[str, str]]:
        """(plan key, how it went) for last session's plans followed up in this one."""
        return [
            (key.removeprefix(LAST_TIME_PREFIX), a.text)
            for key, a in sorted(self.answers.items())
            if key.startswith(LAST_TIME_PREFIX) and a.text.strip()
        ]

    @property
    def other_answers(self) -> list[Answer]:
        """Answers to prompts the template no longer has: still the coach's, still exported."""
        known = self.definition.by_key
        return [
            a
            for key, a in sorted(self.answers.items())
            if key not in known and not key.startswith(LAST_TIME_PREFIX) and a.text.strip()
        ]


@dataclass
class _Coachee:
    """What is read once per coachee: goals, their scores, and a stand-in for session facts."""

    goals: dict[str, Goal]
    shown: Coachee


def _coachee_rows(coachee: Coachee, scrub: Scrub) -> _Coachee:
    goals = {str(g.code): g for g in Goal.objects.filter(coachee=coachee).order_by("created")}
    for goal in goals.values():
        goal.coachee = coachee
        goal.title, goal.description = scrub(goal.title), scrub(goal.description)
    # Session facts name the coachee: a stand-in, never saved, carries the name to show.
    shown = Coachee(
        pk=coachee.pk, coach_id=coachee.coach_id, code=coachee.code, name=scrub(coachee.name)
    )
    shown.preferred_name = scrub(coachee.preferred_name)
    return _Coachee(goals, shown)


def _scores(coachee: Coachee, goals: dict[str, Goal], scrub: Scrub) -> dict[int, Any]:
    """Goal scores by session id, and each goal's latest earlier score at that session."""
    by_id = {g.pk: (code, g) for code, g in goals.items()}
    rows = (
        GoalProgress.objects.filter(goal__coachee=coachee)
        .select_related("session")
        .order_by("session__date", "session__number")
    )
    found: dict[int, Any] = {}
    latest: dict[str, int] = {}
    for row in rows:
        code, goal = by_id[row.goal_id]
        row.goal = goal
        row.note = scrub(row.note)
        if row.session_id not in found:
            found[row.session_id] = ({}, dict(latest))  # the scores before this session
        progress, _ = found[row.session_id]
        progress[code] = row
        if row.score is not None:
            latest[code] = row.score
    return found


def _chunk(
    sessions: list[CoachingSession],
    held: _Coachee,
    scores: dict[int, Any],
    scrub: Scrub,
    versions: dict[int, TemplateVersion],
    techniques: dict[int, Technique],
) -> Iterator[SessionRecord]:
    ids = [s.pk for s in sessions]
    # Rows read flat and joined here, not through select_related/prefetch_related: the
    # template versions (a JSON definition each) once per export, not once per session, and
    # only the columns an export shows (no timestamps to convert).
    reflections = {
        r.session_id: r
        for r in Reflection.objects.filter(session_id__in=ids).defer(
            "created", "updated", "completed_at"
        )
    }
    wanted = {r.template_version_id for r in reflections.values()} - versions.keys()
    versions.update(TemplateVersion.objects.select_related("template").in_bulk(wanted))
    by_reflection = {r.pk: r for r in reflections.values()}
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for answer in Answer.objects.filter(reflection_id__in=by_reflection).defer("updated"):
        answer.text = scrub(answer.text)
        answers[answer.reflection_id][answer.prompt_key] = answer
    found = list(
        TechniqueUse.objects.filter(reflection_id__in=by_reflection).defer("updated").order_by("pk")
    )
    for technique in Technique.objects.in_bulk(
        {u.technique_id for u in found} - techniques.keys()
    ).values():
        # The coach's own vocabulary, but a redaction the coach chose applies there too.
        technique.name = scrub(technique.name)
        techniques[technique.pk] = technique
    uses: dict[int, dict[tuple[str, str], TechniqueUse]] = defaultdict(dict)
    for use in found:
        use.technique = techniques[use.technique_id]
        use.note = scrub(use.note)
        uses[use.reflection_id][(use.prompt_key, str(use.technique.code))] = use
    actions: dict[int, dict[str, ActionItem]] = defaultdict(dict)
    for action in ActionItem.objects.filter(session_id__in=ids).order_by("created"):
        action.coachee = held.shown
        action.text = scrub(action.text)
        actions[action.session_id][str(action.code)] = action
    reviews: dict[int, list[ActionReview]] = defaultdict(list)
    for review in (
        ActionReview.objects.filter(session_id__in=ids)
        .select_related("action__session")
        .order_by("updated")
    ):
        review.note, review.action.text = scrub(review.note), scrub(review.action.text)
        reviews[review.session_id].append(review)
    for session in sessions:
        reflection = reflections.get(session.pk)
        if reflection is None:
            continue
        session.coachee = held.shown
        reflection.session = session
        reflection.template_version = versions[reflection.template_version_id]
        progress, previous = scores.get(session.pk, ({}, {}))
        yield SessionRecord(
            session=session,
            reflection=reflection,
            answers=answers[reflection.pk],
            actions=actions[session.pk],
            uses=uses[reflection.pk],
            goals=held.goals,
            progress=progress,
            previous_scores=previous,
            reviews=reviews[session.pk],
            coachee_name=held.shown.display_name,
        )


def records(
    coachees: Iterable[Coachee],
    sessions: QuerySet[CoachingSession],
    scrub: Scrub | None = None,
) -> Iterator[SessionRecord]:
    """The chosen ``sessions`` (already the coach's own), coachee by coachee, date order."""
    scrub = scrub or _same
    versions: dict[int, TemplateVersion] = {}
    techniques: dict[int, Technique] = {}
    for coachee in coachees:
        chosen = sessions.filter(coachee=coachee).order_by("date", "number")
        ids = list(chosen.values_list("pk", flat=True))
        if not ids:
            continue
        held = _coachee_rows(coachee, scrub)
        scores = _scores(coachee, held.goals, scrub)
        for start in range(0, len(ids), CHUNK):
            part = list(CoachingSession.objects.filter(pk__in=ids[start : start + CHUNK]))
            part.sort(key=lambda s: (s.date, s.number))
            yield from _chunk(part, held, scores, scrub, versions, techniques)
