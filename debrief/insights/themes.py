"""Themes: words and phrases that recur in one coachee's sessions more than in the whole practice.

Reflection text is encrypted, so it is opened and counted here in Python. Words are those of
search (``lib/words``: accents and case folded, lightly stemmed); a theme is shown as its
coachee's notes most often wrote it. Each session is one
"document": a term counts once per session however often it is written there. A term is a
theme for a coachee when it appears in at least ``MIN_SESSIONS`` of their sessions and clearly
more often (``MIN_LIFT`` times) than across the coach's whole practice (estimated from an
even sample of its sessions).

Each session's terms are worked out once, when its summary is built (``summaries.py``), and
kept there sealed with the coachee's key; nothing is kept in this process's memory.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from debrief.coachees.models import Coachee
from debrief.insights import summaries
from debrief.insights.scope import HeldSession, Scope, narrowed
from debrief.insights.stats import day_label
from debrief.journal.models import Reflection
from debrief.lib import words

MIN_SESSIONS = 2
MIN_LIFT = 1.5
MAX_THEMES = 12
PHRASE_WEIGHT = 1.6
# The practice is compared through an even sample of its sessions: a stable estimate, and
# a first look that costs seconds at most however large the practice.
PRACTICE_SAMPLE = 400

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
    key: str = ""  # the term as search sees it (stems): "listen" for listened and listening

    @property
    def count(self) -> int:
        return len(self.sessions)


@dataclass
class Themes:
    themes: list[Theme]
    sessions: int  # the coachee's sessions with any text, in scope
    practice_sessions: int


Terms = summaries.Terms


Seen = dict[str, tuple[str, str]]  # a word as written -> what ``_word`` makes of it


def _word(written: str) -> tuple[str, str]:
    """(stem, word as written, in lower case) of one word, a common word's stem left empty."""
    shown = written.lower().replace("’", "'")
    shown = shown[:-2] if shown.endswith("'s") else shown
    folded = words.fold(shown)
    term = words.term_of(written)
    common = folded in STOPWORDS or not term.isalpha() or words.fold(written) in STOPWORDS
    return ("" if common else term, shown)


def _words(sentence: str, seen: Seen) -> list[tuple[str, str]]:
    """``_word`` of each word of a sentence.

    Words are found, folded and stemmed as search does (``lib/words``): "Café" and "cafe" are
    one word, and so are "listen", "listened" and "listening". ``seen`` remembers the words
    already met while these texts are read (a few thousand words make most of a practice's
    text): folding each one every time it is written was most of building the summaries.
    """
    found = []
    for written in words.word_forms(sentence):
        known = seen.get(written)
        if known is None:
            known = seen[written] = _word(written)
        found.append(known)
    return found


def _terms(text: str, seen: Seen | None = None) -> Terms:
    """Words (4 letters or more) and two-word phrases of a text, without common words."""
    seen = {} if seen is None else seen
    found: Terms = {}
    for sentence in _SENTENCE.split(text):
        pieces = _words(sentence, seen)
        for term, shown in pieces:
            if term and len(shown) >= 4:
                found.setdefault(term, shown)
        for (first, one), (second, two) in itertools.pairwise(pieces):
            if first and second and len(one) > 2 and len(two) > 2:
                found.setdefault(f"{first} {second}", f"{one} {two}")
    return found


def terms_of(texts: Iterable[str], seen: Seen | None = None) -> Terms:
    """The terms of one session's answers together, each shown as first written.

    ``seen``: one dict for every session read in one pass (it lives as long as that pass).
    """
    seen = {} if seen is None else seen
    found: Terms = {}
    for text in texts:
        for term, shown in _terms(text, seen).items():
            found.setdefault(term, shown)
    return found


def _practice_sample(coach_id: int) -> list[int]:
    """Up to ``PRACTICE_SAMPLE`` of the coach's reflections, spread evenly over the practice."""
    ids = list(
        Reflection.objects.filter(coach_id=coach_id).order_by("id").values_list("id", flat=True)
    )
    step = max(1, len(ids) / PRACTICE_SAMPLE)
    return [ids[int(i * step)] for i in range(min(len(ids), PRACTICE_SAMPLE))]


def _name_words(coachee: Coachee) -> frozenset[str]:
    return frozenset(words.terms(f"{coachee.name} {coachee.preferred_name}"))


def _without_names(terms: Terms, names: frozenset[str]) -> Terms:
    return {t: shown for t, shown in terms.items() if not names.intersection(t.split(" "))}


def themes(scope: Scope, coachee: Coachee) -> Themes:
    """The terms distinctive of ``coachee``'s sessions in scope, most telling first."""
    scoped = scope if scope.coachee == coachee else narrowed(scope, coachee)
    held = {s.reflection_id: s for s in scoped.held}
    names = _name_words(coachee)
    docs = {r: _without_names(t, names) for r, t in summaries.terms(held).items() if t}
    practice = [t for t in summaries.term_keys(_practice_sample(scope.coach.pk)).values() if t]
    counts: Counter[str] = Counter()
    for keys in practice:
        counts.update(keys)
    ranked = _rank(docs, counts, len(practice), held)
    return Themes(ranked, len(docs), len(practice))


def _shown(term: str, docs: list[Terms]) -> str:
    """The way the term was written most often ("listening" shown for listen/listened/...)."""
    written = Counter(terms[term] for terms in docs)
    return min(written, key=lambda w: (-written[w], w))


def _rank(
    docs: dict[int, Terms],
    practice: Counter[str],
    practice_n: int,
    held: dict[int, HeldSession],
) -> list[Theme]:
    n = len(docs)
    if n < MIN_SESSIONS or not practice_n:
        return []
    where: dict[str, list[int]] = defaultdict(list)
    for reflection_id in sorted(docs, key=lambda r: (held[r].date, held[r].number)):
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
        if any(term in t.key.split(" ") or t.key in term.split(" ") for t in chosen):
            continue  # "board" beside "board meeting" says the same thing twice
        chosen.append(
            Theme(
                _shown(term, [docs[r] for r in ids]),
                [(held[r].code, day_label(held[r].date)) for r in ids],
                round(len(ids) / n, 2),
                round(background_share, 2),
                term,
            )
        )
        if len(chosen) == MAX_THEMES:
            break
    return chosen
