"""The page's results as a coach reads them: per group, the passages that matched.

Only the groups on the page are opened: their matching documents' original texts are read
(and decrypted) here, never the whole practice. Each passage is a window of the original text
around the first match, split into plain and marked pieces. The HTML is built by escaping every
piece first and only then wrapping the marked ones in ``<mark>``, so nothing a coach wrote can
become markup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer
from debrief.lib.words import Query, find_items, word_spans
from debrief.search.engine import Hit
from debrief.search.places import layouts
from debrief.techniques.models import TechniqueUse

if TYPE_CHECKING:
    from debrief.accounts.models import User

PASSAGES_PER_GROUP = 3
BEFORE = 90  # characters of context before the first match
WINDOW = 280  # characters in a passage at most
_SPACE = re.compile(r"\s+")

PROFILE_LABELS = {
    "name": "Name",
    "preferred_name": "Preferred name",
    "email": "Email",
    "organisation": "Organisation or sponsor",
    "background": "Background notes",
}


@dataclass
class Passage:
    label: str
    section: str
    url: str
    pieces: list[tuple[str, bool]]  # (text, matched)

    @property
    def html(self) -> SafeString:
        parts = [
            f"<mark>{escape(text)}</mark>" if marked else str(escape(text))
            for text, marked in self.pieces
        ]
        return mark_safe("".join(parts))  # noqa: S308  every piece is escaped just above

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def as_json(self) -> dict[str, Any]:
        marks, at = [], 0
        for text, marked in self.pieces:
            if marked:
                marks.append([at, at + len(text)])
            at += len(text)
        return {
            "label": self.label,
            "section": self.section,
            "url": self.url,
            "text": self.text,
            "highlights": marks,
        }


@dataclass
class Group:
    title: str
    url: str
    when: str
    status: str
    status_label: str
    score: float
    passages: list[Passage] = field(default_factory=list)
    more: int = 0  # matching places not shown
    session_code: str = ""
    coachee_code: str = ""


def _window(text: str, ranges: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A window of ``text`` around its first match, whitespace tidied, as pieces."""
    if not ranges:
        start, end = 0, min(len(text), WINDOW)
    else:
        start = max(0, ranges[0][0] - BEFORE)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < ranges[0][0] else start
        end = min(len(text), max(start + WINDOW, ranges[0][1]))
        if end < len(text):
            space = text.rfind(" ", ranges[0][1], end)
            end = space if space > 0 else end
    pieces: list[tuple[str, bool]] = [("… ", False)] if start else []
    at = start
    for r_start, r_end in ranges:
        if r_end <= start or r_start >= end:
            continue
        r_start, r_end = max(r_start, start), min(r_end, end)
        if r_start > at:
            pieces.append((_SPACE.sub(" ", text[at:r_start]), False))
        pieces.append((_SPACE.sub(" ", text[r_start:r_end]), True))
        at = r_end
    if end > at:
        pieces.append((_SPACE.sub(" ", text[at:end]), False))
    if end < len(text):
        pieces.append((" …", False))
    return pieces


def _ranked_documents(hit: Hit, query: Query) -> list[tuple[str, str]]:
    """The group's (kind, ref) that hold at least one item, best first."""
    wanted = set(hit.text.split("\n")) if hit.text is not hit.shard.text else None
    scored = []
    for order, (kind, ref, text) in enumerate(hit.shard.documents()):
        if wanted is not None and text not in wanted:
            continue
        counts = [text.count(needle) for needle in query.needles]
        distinct = sum(1 for c in counts if c)
        if distinct:
            scored.append((-distinct, -sum(counts), order, kind, ref))
    scored.sort()
    return [(kind, ref) for *_, kind, ref in scored]


@dataclass
class _Originals:
    """The original texts of the documents shown, read in one query per kind."""

    texts: dict[tuple[Any, ...], str] = field(default_factory=dict)
    labels: dict[tuple[Any, ...], str] = field(default_factory=dict)


def _read_originals(coach: User, wanted: dict[str, set[tuple[Any, ...]]]) -> _Originals:
    found = _Originals()
    sessions = {key[0] for keys in wanted.values() for key in keys if isinstance(key[0], int)}
    if wanted.get("answer"):
        # Only the answers shown are opened: each session's own prompts, picked from a list of
        # ids, not every prompt of the page in every session of it (60 answers, not 315).
        listed = Answer.objects.filter(
            reflection__coach=coach,
            reflection__session_id__in=sessions,
            prompt_key__in={key[1] for key in wanted["answer"]},
        ).values_list("id", "reflection__session_id", "prompt_key")
        ids = [id_ for id_, sid, key in listed if (sid, key) in wanted["answer"]]
        _read_answers(ids, found)
    if wanted.get("action"):
        for item in ActionItem.objects.for_coach(coach).filter(session_id__in=sessions):
            found.texts[("action", item.session_id, f"{item.owner}:{item.code}")] = item.text
    if wanted.get("technique"):
        uses = TechniqueUse.objects.for_coach(coach).filter(reflection__session_id__in=sessions)
        for use in uses.select_related("technique", "reflection"):
            key = ("technique", use.reflection.session_id, f"{use.prompt_key}:{use.technique_id}")
            found.texts[key] = use.note
            found.labels[key] = f"Technique: {use.technique.name}"
    if wanted.get("progress"):
        progress = GoalProgress.objects.for_coach(coach).filter(session_id__in=sessions)
        for p in progress.select_related("goal"):
            key = ("progress", p.session_id, str(p.goal.code))
            found.texts[key] = p.note
            found.labels[key] = f"Progress on the goal “{p.goal.title}”"
    if wanted.get("review"):
        reviews = ActionReview.objects.for_coach(coach).filter(session_id__in=sessions)
        for r in reviews.select_related("action"):
            key = ("review", r.session_id, str(r.action.code))
            found.texts[key] = r.note
            found.labels[key] = f"Review of the action “{r.action.text}”"
    return found


def _read_answers(ids: list[int], found: _Originals) -> None:
    """The answers of ``ids`` as flat rows, each opened through the privacy API: building a
    model row (and its reflection) per answer cost more than opening it."""
    read = Answer._meta.get_field("text").read_stored
    private_row: Callable[[Any], str] = Answer.private_row  # asked of a named row's columns
    rows = Answer.objects.filter(id__in=ids).values_list(
        "reflection_id",
        "prompt_key",
        "text",
        "reflection__session_id",
        "reflection__template_version_id",
        "reflection__session__coachee__code",
        named=True,
    )
    shown = layouts({row.reflection__template_version_id for row in rows})
    for row in rows:
        text = str(read(row.text, private_row(row), row.reflection__session__coachee__code))
        layout = shown.get(row.reflection__template_version_id)
        text = layout.answer_text(row.prompt_key, text) if layout else text
        found.texts[("answer", row.reflection__session_id, row.prompt_key)] = text


def _read_profiles(coach: User, coachee_ids: set[int], found: _Originals) -> None:
    for coachee in Coachee.objects.for_coach(coach).filter(id__in=coachee_ids):
        for name in PROFILE_LABELS:
            found.texts[("profile", coachee.id, name)] = getattr(coachee, name)
    for goal in Goal.objects.for_coach(coach).filter(coachee_id__in=coachee_ids):
        found.texts[("goal", goal.coachee_id, f"{goal.code}:title")] = goal.title
        found.texts[("goal", goal.coachee_id, f"{goal.code}:description")] = goal.description
        found.labels[("goal", goal.coachee_id, f"{goal.code}:description")] = f"Goal “{goal.title}”"


def groups_for(
    coach: User, hits: list[Hit], query: Query, names: dict[int, tuple[str, str]]
) -> list[Group]:
    """Display groups for one page of hits; ``names`` maps coachee id to (name, code)."""
    chosen = {id(h): _ranked_documents(h, query) for h in hits}
    wanted: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    profiles: set[int] = set()
    for hit in hits:
        for kind, ref in chosen[id(hit)][:PASSAGES_PER_GROUP]:
            if hit.session is None:
                profiles.add(hit.coachee_id)
            else:
                wanted[kind].add((hit.session.id, ref.split(":", 1)[0]))
    originals = _read_originals(coach, wanted)
    if profiles:
        _read_profiles(coach, profiles, originals)
    return [_group(hit, chosen[id(hit)], query, names, originals) for hit in hits]


def _group(
    hit: Hit,
    chosen: list[tuple[str, str]],
    query: Query,
    names: dict[int, tuple[str, str]],
    originals: _Originals,
) -> Group:
    name, coachee_code = names.get(hit.coachee_id, ("", ""))
    session = hit.session
    if session is None:
        url = reverse("coachee_detail", args=[coachee_code])
        group = Group(
            f"About {name}",
            url,
            "Coachee notes and goals",
            "",
            "",
            hit.score,
            coachee_code=coachee_code,
        )
    else:
        url = reverse("reflection_view", args=[session.code])
        group = Group(
            f"Session {session.number} with {name}",
            url,
            session.date.strftime("%A %-d %B %Y"),
            session.status or "",
            (session.status or "").capitalize(),
            hit.score,
            session_code=str(session.code),
            coachee_code=coachee_code,
        )
    layout = (
        layouts({session.version_id}).get(session.version_id)
        if session and session.version_id
        else None
    )
    owner = hit.coachee_id if session is None else session.id
    for kind, ref in chosen[:PASSAGES_PER_GROUP]:
        key = (kind, owner, ref)
        text = originals.texts.get(key)
        if not text:
            continue  # changed since the index was read: leave it out rather than guess
        place = layout.place(kind, ref) if layout else None
        label = originals.labels.get(key) or (place.label if place else _label(kind, ref))
        if kind == "action":
            label = "Your action" if ref.startswith("coach:") else "Action for the coachee"
        anchor = f"#{place.anchor}" if place and place.anchor and kind != "review" else ""
        pieces = _window(text, find_items(list(word_spans(text)), query.items))
        group.passages.append(
            Passage(label, place.section_title if place else "", url + anchor, pieces)
        )
    group.more = max(0, len(chosen) - len(group.passages))
    return group


def _label(kind: str, ref: str) -> str:
    if kind == "profile":
        return PROFILE_LABELS.get(ref, "Notes")
    if kind == "goal":
        return "Goal"
    return "Notes"
