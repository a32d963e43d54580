"""Themes: words and phrases that recur in one coachee's sessions more than in the whole practice.

Reflection text is encrypted, so it is opened and counted here in Python. Each session is one
"document": a term counts once per session however often it is written there. A term is a
theme for a coachee when it appears in at least ``MIN_SESSIONS`` of their sessions and clearly
more often (``MIN_LIFT`` times) than across the coach's whole practice.

The whole practice's counts are kept in this process's memory only (never in a cache that
could reach a disk), keyed by the coach and a fingerprint of their answers, so they are
recounted after any change.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max

from debrief.coachees.models import Coachee
from debrief.insights.scope import Scope
from debrief.insights.stats import day_label
from debrief.journal.models import Answer

MIN_SESSIONS = 2
MIN_LIFT = 1.5
MAX_THEMES = 12
PHRASE_WEIGHT = 1.6

_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_SENTENCE = re.compile(r"[.!?;:,()\n\"“”]+")
_COMMON_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during each
    even ever every few for from further get gets getting got had has have having he her
    here hers herself him himself his how i if in into is it its itself just less let like
    made make makes many may me might more most much must my myself new next no nor not now
    of off on once one only or other our ours ourselves out over own per quite rather really
    same see seemed seems she should so some something still such than that the their theirs
    them themselves then there these they thing things this those though through to too
    under until up upon us very was way we well went were what when where which while who
    whom why will with within without would yet you your yours yourself yourselves i'm it's
    that's don't didn't she's he's they're we're i've i'd isn't wasn't can't won't doesn't
    session sessions coachee coach looked making everything write wrote felt feel said says
    know want wanted think thought going
"""
STOPWORDS = frozenset(_COMMON_WORDS.split())


@dataclass
class Theme:
    term: str
    sessions: list[tuple[str, str]]  # (session code, date label), oldest first
    share: float  # of this coachee's sessions
    practice_share: float  # of all the coach's sessions

    @property
    def count(self) -> int:
        return len(self.sessions)


@dataclass
class Themes:
    themes: list[Theme]
    sessions: int  # the coachee's sessions with any text, in scope
    practice_sessions: int


def _terms(text: str, skip: frozenset[str]) -> set[str]:
    """Words (4 letters or more) and two-word phrases of a text, without common words."""
    found: set[str] = set()
    for sentence in _SENTENCE.split(text.lower()):
        words = [w.strip("'’-") for w in _WORD.findall(sentence)]
        words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
        for word in words:
            if len(word) >= 4 and word not in STOPWORDS and word not in skip:
                found.add(word)
        for first, second in itertools.pairwise(words):
            if (
                first not in STOPWORDS
                and second not in STOPWORDS
                and first not in skip
                and second not in skip
                and len(first) > 2
                and len(second) > 2
            ):
                found.add(f"{first} {second}")
    return found


def _documents(answers: Iterable[Answer], skip: frozenset[str]) -> dict[int, set[str]]:
    docs: dict[int, set[str]] = defaultdict(set)
    for answer in answers:
        if answer.__dict__.get("text"):  # empty answers are stored empty: nothing to open
            docs[answer.reflection_id] |= _terms(answer.text, skip)
    return docs


_practice: dict[int, tuple[tuple[int, object], Counter[str], int]] = {}
_lock = threading.Lock()


def _practice_counts(coach_id: int) -> tuple[Counter[str], int]:
    """How many of the coach's sessions each term appears in, and how many sessions have text."""
    answers = Answer.objects.filter(reflection__coach_id=coach_id)
    stamp = answers.aggregate(n=Count("id"), last=Max("updated"))
    key = (stamp["n"], stamp["last"])
    cached = _practice.get(coach_id)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    docs = _documents(answers.only("text", "reflection_id", "prompt_key"), frozenset())
    counts: Counter[str] = Counter()
    for terms in docs.values():
        counts.update(terms)
    with _lock:
        _practice[coach_id] = (key, counts, len(docs))
    return counts, len(docs)


def _name_words(coachee: Coachee) -> frozenset[str]:
    names = f"{coachee.name} {coachee.preferred_name}".lower()
    return frozenset(_WORD.findall(names))


def themes(scope: Scope, coachee: Coachee) -> Themes:
    """The terms distinctive of ``coachee``'s sessions in scope, most telling first."""
    scoped = Scope(scope.coach, scope.today, scope.start, scope.end, coachee, scope.template)
    sessions = dict(scoped.sessions().values_list("reflection__id", "code"))
    dates = dict(scoped.sessions().values_list("reflection__id", "date"))
    answers = Answer.objects.filter(reflection_id__in=sessions).only(
        "text", "reflection_id", "prompt_key"
    )
    docs = _documents(answers, _name_words(coachee))
    practice, practice_n = _practice_counts(scope.coach.pk)
    return Themes(_rank(docs, practice, practice_n, sessions, dates), len(docs), practice_n)


def _rank(
    docs: dict[int, set[str]],
    practice: Counter[str],
    practice_n: int,
    codes: dict[int, object],
    dates: dict[int, date],
) -> list[Theme]:
    n = len(docs)
    if n < MIN_SESSIONS or not practice_n:
        return []
    where: dict[str, list[int]] = defaultdict(list)
    for reflection_id in sorted(docs, key=lambda r: dates[r]):
        for term in docs[reflection_id]:
            where[term].append(reflection_id)
    scored = []
    for term, ids in where.items():
        if len(ids) < MIN_SESSIONS:
            continue
        share = len(ids) / n
        background = (practice.get(term, 0) + 0.5) / (practice_n + 1)
        lift = share / background
        if lift >= MIN_LIFT:
            # A phrase says more than either of its words: prefer it when nearly as common.
            weight = PHRASE_WEIGHT if " " in term else 1.0
            score = weight * len(ids) * math.log(lift)
            scored.append((score, term, ids, practice.get(term, 0) / practice_n))
    scored.sort(key=lambda s: (-s[0], s[1]))
    chosen: list[Theme] = []
    for _, term, ids, background_share in scored:
        if any(term in t.term.split(" ") or t.term in term.split(" ") for t in chosen):
            continue  # "board" beside "board meeting" says the same thing twice
        chosen.append(
            Theme(
                term,
                [(str(codes[r]), day_label(dates[r])) for r in ids],
                round(len(ids) / n, 2),
                round(background_share, 2),
            )
        )
        if len(chosen) == MAX_THEMES:
            break
    return chosen
