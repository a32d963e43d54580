"""A believable coaching practice, generated from a seed: for `manage.py demo` and for bench/.

Each coachee follows one of a few story arcs (early, middle and late phases) and every answer
is composed from that arc plus pools of phrases about the coach's own practice, dealt like
cards so that a coachee's reflections do not repeat until a pool runs out; a phrase another
coachee already has is tied to this session by one more sentence (``_Writer.fresh``), so no
two coachees read the same words. Text placeholders:
``{name}``, pronouns (``{they}``, ``{them}``, ``{their}``; only ever followed by a verb that
does not change with the pronoun), the arc's ``{aim}``, the session's ``{focus}``, its first
coachee action ``{action}`` and the previous one ``{prev_action}``, and a few more. A phrase
that starts with ``{later}`` (which prints nothing) is only for a session after the first.

Everything random comes from one ``random.Random(seed)``, so a seed and a date give the same
practice every time. Rows are written with ``bulk_create`` so 3,000 sessions take seconds.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.demo.deck import Deck
from debrief.demo.growth import add_growth
from debrief.demo.personas import (
    DEMO_PERSONAS,
    FIRST_NAMES,
    GENERATED_FORMATS,
    GENERATED_TIMES,
    NICKNAMES,
    PRONOUNS,
    SPONSORS,
    STATUS_WEIGHTS,
    STORIES,
    SURNAMES,
    Persona,
)
from debrief.demo.phrases import (
    ABOUT_THE_ACTION,
    ABOUT_THE_SESSION,
    CLOSING_GOALS,
    CLOSING_NEXT_STEPS,
    CLOSING_PROGRESS,
    COACH_ACTIONS,
    COACH_PROMPTS,
    FIRST_GOALS,
    FIRST_ISSUES,
    FIRST_MATERIALS,
    FIRST_PROGRESS,
    GROUP_ACTIONS,
    GROUP_SESSION,
    MATERIALS,
    NO_BREAKTHROUGH,
    ORDINALS,
    PROGRESS,
    RATING_COMMENTS,
    SPECIFIC_ISSUES,
    STORY_PROMPTS,
    STRATEGIES,
    TECHNIQUE_LISTS,
    TECHNIQUES,
    TIES,
)
from debrief.demo.schedule import SessionPlan, plan_sessions
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.privacy import owners
from debrief.prompts.models import brief_version

# --- coachees ----------------------------------------------------------------------------------


def _generated_persona(rng: random.Random, used: set[str], history_days: int) -> Persona:
    grammar = rng.choices(("she", "he", "they"), weights=(46, 46, 8))[0]
    first, last = rng.choice(FIRST_NAMES[grammar]), rng.choice(SURNAMES)
    for _ in range(50):  # prefer a name not used yet; a large practice may have to repeat one
        if f"{first} {last}" not in used:
            break
        first, last = rng.choice(FIRST_NAMES[grammar]), rng.choice(SURNAMES)
    used.add(f"{first} {last}")
    story_key = rng.choice(sorted(STORIES))
    story = STORIES[story_key]
    organisation = rng.choice(story.orgs)
    if story_key in ("peer_to_leader", "expert_to_manager"):
        organisation += f" (sponsor: {rng.choice(SPONSORS)})"
    domain = "".join(c for c in organisation.split()[0].lower() if c.isalpha())
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    ends = {
        Coachee.Status.ACTIVE: None,
        Coachee.Status.PAUSED: rng.randint(20, 70),
    }.get(status, rng.randint(20, history_days))
    preferred = NICKNAMES.get(first, "") if rng.random() < 0.7 else ""
    hooks = {"name": preferred or first, **PRONOUNS[grammar], "years": str(rng.randint(3, 12))}
    return Persona(
        name=f"{first} {last}",
        preferred_name=preferred,
        pronouns=f"{grammar}/{PRONOUNS[grammar]['them']}" if rng.random() < 0.4 else "",
        grammar=grammar,
        email=f"{first}.{last}@{domain}.example".lower() if rng.random() < 0.55 else "",
        organisation=organisation,
        background=story.background.format_map(hooks),
        status=status,
        story=story_key,
        weight=min(rng.paretovariate(1.6), 6.0),
        cadence=rng.choice((7, 14, 14, 14, 21, 28)),
        formats=rng.choice(GENERATED_FORMATS),
        durations=rng.choice(((60,), (45, 60), (60, 90), (75, 90), (60, 60, 90))),
        times=tuple(sorted(rng.sample(GENERATED_TIMES, 2))),
        pro_bono=rng.random() < (0.7 if story_key == "founder_burnout" else 0.04),
        ends_days_ago=ends,
        upcoming=status == Coachee.Status.ACTIVE and rng.random() < 0.6,
        draft=status in (Coachee.Status.ACTIVE, Coachee.Status.PAUSED) and rng.random() < 0.12,
        group_at=0.6 if story_key == "peer_to_leader" and rng.random() < 0.5 else None,
    )


def _personas(rng: random.Random, count: int, history_days: int) -> list[Persona]:
    personas = list(DEMO_PERSONAS[:count])
    used = {p.name for p in personas}
    while len(personas) < count:
        personas.append(_generated_persona(rng, used, history_days))
    return personas


def _split(total: int, weights: list[float]) -> list[int]:
    """Share ``total`` out by weight (largest remainder), at least one each while they last."""
    base = [1 if i < total else 0 for i in range(len(weights))]
    rest = total - sum(base)
    shares = [rest * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [b + c for b, c in zip(base, counts, strict=True)]


# --- writing -----------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    return text[:1].lower() + text[1:]


def _ordinal(n: int) -> str:
    if n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class PlannedAction:
    owner: str
    text: str
    due: date | None
    status: str
    closed_at: datetime | None


@dataclass
class Written:
    answers: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    actions: list[PlannedAction] = field(default_factory=list)


TONES = {"great": (5, 5, 4), "good": (4, 4, 5, 3), "steady": (3, 4, 3, 2), "hard": (2, 3, 2, 1)}
TONE_WEIGHTS = (30, 42, 20, 8)
ACTION_STATUSES = (
    ActionItem.Status.OPEN.value,
    ActionItem.Status.DONE.value,
    ActionItem.Status.DROPPED.value,
)


class _Writer:
    """Writes one coachee's reflections in session order, following the coachee's story."""

    def __init__(
        self, rng: random.Random, persona: Persona, today: date, now: datetime, used: set[str]
    ) -> None:
        self.rng, self.persona, self.today, self.now = rng, persona, today, now
        # Texts already written for any coachee of the practice: dealt again only when a
        # pool has nothing else, so two coachees rarely read the same words.
        self.used = used
        self.story = STORIES[persona.story]
        self.decks: dict[str, Deck] = {}
        words = PRONOUNS[persona.grammar]
        self.base = {"name": persona.call_name, **words, "Their": _cap(words["their"])}
        self.base["aim"] = self.story.aim.format_map(self.base)
        self.prev_action = ""

    def deck(self, key: str, pool: tuple[str, ...]) -> Deck:
        if key not in self.decks:
            self.decks[key] = Deck(self.rng, pool)
        return self.decks[key]

    def deal(self, key: str, pool: tuple[str, ...], hooks: dict[str, str], prompt: str = "") -> str:
        """The next phrase of ``pool`` for the answer to ``prompt`` (a prompt key or "action")."""
        deck = self.deck(key, pool)
        return self.fresh(deck.items[deck.index(hooks, self.used)].format_map(hooks), hooks, prompt)

    def fresh(self, text: str, hooks: dict[str, str], prompt: str = "") -> str:
        """``text``, tied to this coachee and session if another already reads those words.

        A tie is one more sentence (a clause for an action) from the prompt's pool in TIES,
        naming the coachee, the session or its focus: the first, from a random start, that
        makes the text new.
        """
        if text in self.used:
            tie = ABOUT_THE_ACTION if prompt == "action" else TIES.get(prompt, ABOUT_THE_SESSION)
            joiner, start = "" if prompt == "action" else " ", self.rng.randrange(len(tie))
            for i in range(len(tie)):
                tied = text + joiner + tie[(start + i) % len(tie)].format_map(hooks)
                if tied not in self.used:
                    break
            text = tied
        self.used.add(text)
        return text

    def _hooks(self, plan: SessionPlan, total: int) -> tuple[int, dict[str, str]]:
        at = min(2, 3 * (plan.number - 1) // max(total, 1))
        phase, later = self.story.phases[at], self.story.phases[min(2, at + 1)]
        hooks = dict(self.base, nth=_ordinal(plan.number), size=str(plan.group_size))
        # The session's focus and its goal share an index: the pools are written in parallel.
        beat = self.deck(f"focus{at}", phase.focus).index(hooks)
        hooks["focus"] = phase.focus[beat].format_map(hooks)
        hooks["Focus"] = _cap(hooks["focus"])
        hooks["goal"] = phase.goals[beat].format_map(hooks)
        hooks["next_focus"] = self.deck(f"next{at}", later.focus).deal(hooks, self.used)
        if plan.number > 1:
            hooks.update(later="", prev_n=str(plan.number - 1))
        if self.prev_action:
            hooks["prev_action"] = self.prev_action
        picked = self.rng.sample(TECHNIQUES, 3)
        for i, (name, _) in enumerate(picked, start=1):
            hooks.update({f"t{i}": name, f"T{i}": _cap(name)})
        hooks.update(technique=picked[0][0], Technique=_cap(picked[0][0]))
        hooks["effect"] = picked[0][1].format_map(hooks)
        start = self.rng.randint(3, 6)
        hooks.update(scale_from=str(start), scale_to=str(start + self.rng.randint(1, 2)))
        return at, hooks

    def write(self, plan: SessionPlan, total: int) -> Written:
        at, hooks = self._hooks(plan, total)
        written = Written()
        if plan.state != Reflection.Status.PLANNED:
            written.actions = self._actions(plan, at, hooks)
        self._pre(plan, hooks, written)
        if plan.state == Reflection.Status.DRAFT:
            self._draft(at, hooks, written)
        elif plan.state == Reflection.Status.COMPLETE:
            self._post(plan, at, hooks, written)
        if plan.group_size:
            for key, text in GROUP_SESSION.items():
                if key in written.answers:
                    written.answers[key] = (self.fresh(text.format_map(hooks), hooks, key), None)
        return written

    def _pre(self, plan: SessionPlan, hooks: dict[str, str], written: Written) -> None:
        a = written.answers
        if plan.number == 1:
            a["primary_goals"] = (self.deal("first", FIRST_GOALS, hooks, "primary_goals"), None)
            issues = self.deal("first_issues", FIRST_ISSUES, hooks, "specific_issues")
            a["specific_issues"] = (issues, None)
            materials = self.deal("first_materials", FIRST_MATERIALS, hooks, "materials_prepared")
            a["materials_prepared"] = (materials, None)
        else:
            goal = (
                self.deal("closing", CLOSING_GOALS, hooks, "primary_goals")
                if plan.closing
                else self.fresh(hooks["goal"], hooks, "primary_goals")
            )
            a["primary_goals"] = (goal, None)
            issues = self.deal("issues", SPECIFIC_ISSUES, hooks, "specific_issues")
            a["specific_issues"] = (issues, None)
            if plan.state != Reflection.Status.PLANNED or self.rng.random() < 0.6:
                materials = self.deal("materials", MATERIALS, hooks, "materials_prepared")
                a["materials_prepared"] = (materials, None)
        strategies = self.deal("strategies", STRATEGIES, hooks, "strategies_planned")
        a["strategies_planned"] = (strategies, None)

    def _draft(self, at: int, hooks: dict[str, str], written: Written) -> None:
        phase = self.story.phases[at]
        a = written.answers
        a["main_topics"] = (self.deal(f"topics{at}", phase.topics, hooks, "main_topics"), None)
        insights = self.deal(f"insights{at}", phase.insights, hooks, "key_insights")
        a["key_insights"] = (insights, None)
        if self.rng.random() < 0.5:
            a["progress_towards_goals"] = (
                self.deal("progress_towards_goals", PROGRESS, hooks, "progress_towards_goals"),
                None,
            )

    def _post(self, plan: SessionPlan, at: int, hooks: dict[str, str], w: Written) -> None:
        tone = self.rng.choices(list(TONES), weights=TONE_WEIGHTS)[0]
        if plan.closing:
            tone = self.rng.choice(("great", "good"))
        phase = self.story.phases[at]
        for key, part in STORY_PROMPTS.items():
            w.answers[key] = (self.deal(f"{part}{at}", getattr(phase, part), hooks, key), None)
        hard = tone == "hard"
        for key, (pool, hard_pool) in COACH_PROMPTS.items():
            deck, phrases = (f"{key}-hard", hard_pool) if hard and hard_pool else (key, pool)
            if plan.number == 1 and key == "progress_towards_goals":
                deck, phrases = "first_progress", FIRST_PROGRESS
            w.answers[key] = (self.deal(deck, phrases, hooks, key), None)
        lucky = tone in ("great", "good") or (tone == "steady" and self.rng.random() < 0.5)
        if not lucky:
            none = self.deal("none", NO_BREAKTHROUGH, hooks, "breakthroughs")
            w.answers["breakthroughs"] = (none, None)
        if plan.closing:
            for key, text in (
                ("progress_towards_goals", CLOSING_PROGRESS),
                ("coachee_next_steps", CLOSING_NEXT_STEPS),
            ):
                w.answers[key] = (self.fresh(text.format_map(hooks), hooks, key), None)
        techniques = self.rng.choice(TECHNIQUE_LISTS).format_map(hooks)
        w.answers["techniques_used"] = (self.fresh(techniques, hooks, "techniques_used"), None)
        for key, comments in RATING_COMMENTS.items():
            score = self.rng.choice(TONES[tone])
            band = 0 if score >= 4 else 1 if score == 3 else 2
            wanted = self.rng.random() < 0.55
            comment = self.deal(f"{key}-{band}", comments[band], hooks, key) if wanted else ""
            w.answers[key] = (comment, score)

    def _actions(self, plan: SessionPlan, at: int, hooks: dict[str, str]) -> list[PlannedAction]:
        complete = plan.state == Reflection.Status.COMPLETE
        if plan.group_size:
            group = GROUP_ACTIONS[: self.rng.randint(1, 2)]
            coachee_texts = [self.fresh(text, hooks, "action") for text in group]
        elif complete or self.rng.random() < 0.5:
            count = self.rng.choices((1, 2), weights=(55, 45))[0]
            pool = self.story.phases[at].actions
            coachee_texts = [self.deal(f"actions{at}", pool, hooks, "action") for _ in range(count)]
        else:
            coachee_texts = []
        coach_texts = []
        if complete:
            count = self.rng.choices((1, 2), weights=(65, 35))[0]
            coach_texts = [
                self.deal("coach_actions", COACH_ACTIONS, hooks, "action") for _ in range(count)
            ]
        if coachee_texts:
            hooks.update(action=_low(coachee_texts[0]), Action=coachee_texts[0])
            self.prev_action = hooks["action"]
        else:
            hooks.update(action="keep going", Action="Keep going")
        owners = [ActionItem.Owner.COACHEE] * len(coachee_texts)
        owners += [ActionItem.Owner.COACH] * len(coach_texts)
        return [
            self._action(plan, owner, text)
            for owner, text in zip(owners, coachee_texts + coach_texts, strict=True)
        ]

    def _action(self, plan: SessionPlan, owner: str, text: str) -> PlannedAction:
        due = None
        if self.rng.random() < (0.55 if owner == ActionItem.Owner.COACHEE else 0.4):
            due = plan.date + timedelta(days=self.rng.choice((7, 10, 14, 21, 28)))
        status = self._action_status(plan)
        # Drawn whatever the status, so that the same seed writes the same text on any day.
        closed = min(plan.date + timedelta(days=self.rng.randint(2, 21)), self.today)
        closed_at = min(_at(closed, _office_hours(self.rng)), self.now)
        if status == ActionItem.Status.OPEN:
            return PlannedAction(owner, text, due, status, None)
        return PlannedAction(owner, text, due, status, closed_at)

    def _action_status(self, plan: SessionPlan) -> str:
        """Open, done or dropped: older ones mostly done; a finished engagement all closed."""
        age = (self.today - plan.date).days
        if self.persona.status in (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED):
            weights = (0, 85, 15)
        elif plan.state == Reflection.Status.DRAFT or age <= 10:
            weights = (80, 20, 0)
        elif age <= 35:
            weights = (45, 45, 10)
        else:
            weights = (5, 83, 12)
        return self.rng.choices(ACTION_STATUSES, weights=weights)[0]


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _stamps(
    rng: random.Random, plan: SessionPlan, now: datetime
) -> tuple[datetime, datetime, datetime | None]:
    """When the reflection was created, last changed and completed: in working hours."""
    end = _at(plan.date, plan.start_time) + timedelta(minutes=plan.duration)
    created = _at(plan.date - timedelta(days=rng.randint(1, 4)), _office_hours(rng))
    created = min(created, now - timedelta(hours=1))
    if plan.state == Reflection.Status.PLANNED:
        return created, created, None
    changed = _at(plan.date + timedelta(days=rng.choice((0, 0, 1, 1, 2))), _office_hours(rng))
    if changed < end + timedelta(minutes=30):
        changed = end + timedelta(minutes=rng.randint(30, 120))
    changed = min(changed, now)
    completed = changed if plan.state == Reflection.Status.COMPLETE else None
    return created, changed, completed


def _office_hours(rng: random.Random) -> time:
    return time(rng.randint(8, 19), rng.choice((0, 10, 25, 40, 55)))


# --- saving ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeSummary:
    coachees: int
    sessions: int
    actions: int
    goals: int = 0
    technique_uses: int = 0


def _now_for(today: date) -> datetime:
    """Now, or the end of ``today``'s working day when building a practice for another date."""
    if today == timezone.localdate():
        return timezone.now()
    return _at(today, time(17, 30))


def create_practice(
    coach: User, *, sessions: int, coachees: int, seed: int, today: date
) -> PracticeSummary:
    """Give ``coach`` a practice of ``coachees`` people and ``sessions`` sessions up to ``today``.

    The first coachees are the demo's four hand-written ones; any more are generated.
    Sessions are shared out unevenly, as in a real practice.
    """
    rng = random.Random(seed)
    now = _now_for(today)
    history_days = max(150, sessions * 7 // 12)
    personas = _personas(rng, coachees, history_days)
    counts = _split(sessions, [p.weight for p in personas])
    plans = [plan_sessions(rng, p, n, today) for p, n in zip(personas, counts, strict=True)]
    writings = []
    used: set[str] = set()
    for persona, schedule in zip(personas, plans, strict=True):
        writer = _Writer(rng, persona, today, now, used)
        writings.append([writer.write(plan, len(schedule)) for plan in schedule])
    stamps = [[_stamps(rng, plan, now) for plan in schedule] for schedule in plans]
    with transaction.atomic():
        return _save(coach, personas, plans, writings, stamps, rng)


def _save(
    coach: User,
    personas: list[Persona],
    plans: list[list[SessionPlan]],
    writings: list[list[Written]],
    stamps: list[list[tuple[datetime, datetime, datetime | None]]],
    rng: random.Random,
) -> PracticeSummary:
    # The demo's phrases answer version 1 of the brief (techniques as free text).
    version = brief_version(1)
    people = Coachee.objects.bulk_create(
        _coachee_row(coach, p, s, rng) for p, s in zip(personas, plans, strict=True)
    )
    rows = [
        (person, persona, plan, written, stamp)
        for person, persona, schedule, writes, marks in zip(
            people, personas, plans, writings, stamps, strict=True
        )
        for plan, written, stamp in zip(schedule, writes, marks, strict=True)
    ]
    sessions = CoachingSession.objects.bulk_create(
        _session_row(coach, person, persona, plan) for person, persona, plan, _, _ in rows
    )
    reflections = Reflection.objects.bulk_create(
        Reflection(
            coach=coach,
            session=session,
            template_version=version,
            status=plan.state,
            completed_at=stamp[2],
        )
        for session, (_, _, plan, _, stamp) in zip(sessions, rows, strict=True)
    )
    # created/updated are auto-set on insert; give them the dates a real coach would have.
    for reflection, (*_, stamp) in zip(reflections, rows, strict=True):
        reflection.created, reflection.updated = stamp[0], stamp[1]
    Reflection.objects.bulk_update(reflections, ["created", "updated"], batch_size=500)
    for reflection, (person, *_) in zip(reflections, rows, strict=True):
        owners.remember_reflection(reflection.id, person.code)  # not a query per reflection
    Answer.objects.bulk_create(
        (
            Answer(reflection=reflection, prompt_key=key, text=text, rating=rating)
            for reflection, (*_, written, _) in zip(reflections, rows, strict=True)
            for key, (text, rating) in written.answers.items()
        ),
        batch_size=1000,
    )
    actions = ActionItem.objects.bulk_create(
        (
            ActionItem(
                coach=coach,
                coachee=person,
                session=session,
                owner=a.owner,
                text=a.text,
                due=a.due,
                status=a.status,
                closed_at=a.closed_at,
            )
            for session, (person, _, _, written, _) in zip(sessions, rows, strict=True)
            for a in written.actions
        ),
        batch_size=1000,
    )
    entries = [(s, r, row[3]) for s, r, row in zip(sessions, reflections, rows, strict=True)]
    goals, uses = add_growth(coach, people, personas, entries, random.Random(rng.random()))
    return PracticeSummary(len(people), len(sessions), len(actions), goals, uses)


def _consents_to_listing(persona: Persona) -> bool:
    """Most coachees agree to be named on the coach's logs; about one in six does not.

    Derived from the name, not the seeded stream, so the rest of a practice stays the same.
    """
    return zlib.crc32(persona.name.encode()) % 6 != 0


def _coachee_row(
    coach: User, persona: Persona, schedule: list[SessionPlan], rng: random.Random
) -> Coachee:
    start = schedule[0].date - timedelta(days=rng.randint(5, 20)) if schedule else None
    return Coachee(
        notes_consent_on=start,
        icf_log_listing=start is not None and _consents_to_listing(persona),
        coach=coach,
        name=persona.name,
        preferred_name=persona.preferred_name,
        pronouns=persona.pronouns,
        email=persona.email,
        organisation=persona.organisation,
        engagement_start=start,
        status=persona.status,
        background=persona.background,
    )


def _session_row(
    coach: User, person: Coachee, persona: Persona, plan: SessionPlan
) -> CoachingSession:
    return CoachingSession(
        coach=coach,
        coachee=person,
        number=plan.number,
        date=plan.date,
        start_time=plan.start_time,
        duration_minutes=plan.duration,
        format=plan.format,
        payment=CoachingSession.Payment.PRO_BONO if persona.pro_bono else "paid",
        kind=CoachingSession.Kind.GROUP if plan.group_size else CoachingSession.Kind.INDIVIDUAL,
        group_size=plan.group_size,
    )
