"""Reading and building the per-session summaries insights work from (see ``models.py``).

``ensure`` builds the summaries a set of reflections lacks, in one pass over their answers and
technique uses; the readers below then need one row per session instead of every answer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, When

from debrief.insights.models import SessionSummary
from debrief.journal.models import Answer
from debrief.privacy.fields import Unopenable
from debrief.techniques.models import TechniqueUse

Terms = dict[str, str]  # a term (stems, as search sees words) -> how it was first written
Use = tuple[int, int, int | None, bool]  # use id, technique id, effectiveness, has a note
Figures = dict[str, Any]  # {"ratings": {prompt key: rating}, "uses": [Use, ...]}
Ratings = tuple[tuple[str, int], ...]  # (prompt key, rating) of one session
Uses = tuple[Use, ...]


def _texts(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, dict[str, int]]]:
    """Each reflection's opened answer texts, and its ratings."""
    texts: dict[int, list[str]] = defaultdict(list)
    ratings: dict[int, dict[str, int]] = defaultdict(dict)
    answers = (
        Answer.objects.filter(reflection_id__in=ids)
        .order_by("id")
        .only("text", "rating", "reflection_id", "prompt_key")
    )
    for answer in answers.iterator(chunk_size=2000):
        if answer.rating is not None:
            ratings[answer.reflection_id][answer.prompt_key] = answer.rating
        text = answer.text
        if text and not isinstance(text, Unopenable):  # "cannot be opened" is not a theme
            texts[answer.reflection_id].append(text)
    return texts, ratings


def _ratings(ids: list[int]) -> dict[int, dict[str, int]]:
    """Each reflection's ratings, without reading (or opening) any text."""
    ratings: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(reflection_id__in=ids, rating__isnull=False)
        .order_by("id")
        .values_list("reflection_id", "prompt_key", "rating")
    )
    for reflection_id, key, rating in rows:
        if rating is not None:
            ratings[reflection_id][key] = rating
    return ratings


def _uses(ids: list[int]) -> dict[int, list[Use]]:
    found: dict[int, list[Use]] = defaultdict(list)
    rows = (
        TechniqueUse.objects.filter(reflection_id__in=ids)
        # An empty note is stored empty: whether there is one is known without opening it.
        .annotate(has_note=Case(When(note="", then=False), default=True))
        .order_by("id")
        .values_list("reflection_id", "id", "technique_id", "effectiveness", "has_note")
    )
    for reflection_id, use_id, technique_id, effectiveness, has_note in rows:
        found[reflection_id].append((use_id, technique_id, effectiveness, bool(has_note)))
    return found


_TERM = re.compile(r"([^\t\n]+)\t[^\n]*")  # a line: its term (kept), a tab, as written


def encode_terms(terms: Terms) -> str:
    return "\n".join(f"{term}\t{shown}" for term, shown in sorted(terms.items()))


def decode_terms(text: str) -> Terms:
    if not text or isinstance(text, Unopenable):
        return {}
    return dict(line.split("\t", 1) for line in text.split("\n"))


def figures(reflection_ids: Iterable[int]) -> dict[int, Figures]:
    """Built now for reflections that have no summary: their ratings and technique uses."""
    return {s.reflection_id: s.figures for s in build(reflection_ids)}


def build(reflection_ids: Iterable[int], with_terms: bool = False) -> list[SessionSummary]:
    """Summaries of ``reflection_ids`` from their answers and uses, saved (kept if one raced).

    ``with_terms`` opens every answer for the themes' terms; without, no text is read.
    """
    from debrief.insights.themes import terms_of  # themes reads summaries: imported late

    ids = sorted(set(reflection_ids))
    made = []
    seen: dict[str, tuple[str, str]] = {}  # the words met in this pass (``themes._words``)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        if with_terms:
            texts, ratings = _texts(chunk)
        else:
            texts, ratings = {}, _ratings(chunk)
        uses = _uses(chunk)
        made += [
            SessionSummary(
                reflection_id=rid,
                figures={"ratings": ratings.get(rid, {}), "uses": uses.get(rid, [])},
                terms=encode_terms(terms_of(texts.get(rid, []), seen)) if with_terms else "",
                has_terms=with_terms,
            )
            for rid in chunk
        ]
    SessionSummary.objects.bulk_create(made, batch_size=500, ignore_conflicts=True)
    return made


def terms(reflection_ids: Iterable[int]) -> dict[int, Terms]:
    """The terms of each reflection's answers, from its summary (worked out first if need be)."""
    return {r: decode_terms(text) for r, text in _kept_terms(reflection_ids).items()}


def term_keys(reflection_ids: Iterable[int]) -> dict[int, list[str]]:
    """Only the terms themselves, not how they were written: what counting them needs.

    A kept summary holds about 200 terms; the whole practice's sample is 400 summaries, so
    splitting each line in Python took most of a cold coachee page's themes.
    """
    return {r: _TERM.findall(text) for r, text in _kept_terms(reflection_ids).items()}


def _kept_terms(reflection_ids: Iterable[int]) -> dict[int, str]:
    """Each reflection's kept terms, opened (``encode_terms``' text; "" for none, or unopenable)."""
    ids = list(reflection_ids)
    rows = SessionSummary.objects.filter(reflection_id__in=ids).only(
        "reflection_id", "terms", "has_terms"
    )
    found = {s.reflection_id: s for s in rows if s.has_terms}
    lacking = [r for r in ids if r not in found]
    if lacking:  # replaced whole: the figures are read again in the same pass
        SessionSummary.objects.filter(reflection_id__in=lacking).delete()
        found.update((s.reflection_id, s) for s in build(lacking, with_terms=True))
    opened = {r: s.terms for r, s in found.items()}
    return {r: "" if isinstance(text, Unopenable) else text for r, text in opened.items()}


def drop(reflection_id: int) -> None:
    """Forget one reflection's summary: its answers or uses changed (rebuilt when next read)."""
    SessionSummary.objects.filter(reflection_id=reflection_id).delete()
