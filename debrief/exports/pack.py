"""The supervision pack: the chosen sessions, pseudonymised, with the coach's redactions.

Every coachee of the coach gets a pseudonym ("Client A", "Client B"...): those in the pack
first, in the order their first session appears, then the rest, so a coachee mentioned in
someone else's session is hidden too. The letters are kept with the pack, so they stay the
same each time it is viewed or downloaded. Background and contact details never enter a
pack; names, email and organisation are replaced wherever they appear in the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from debrief.coachees.models import Coachee
from debrief.exports.document import SessionDoc, build
from debrief.exports.models import SupervisionFlag, SupervisionPack
from debrief.exports.records import records
from debrief.journal.models import CoachingSession
from debrief.lib.pseudonyms import Person, Pseudonymiser

MAX_SESSIONS = 60  # a supervision conversation covers a few sessions, not a whole practice


def letter(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: spreadsheet-style letters."""
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(65 + rest) + text
    return text


def chosen(
    coach: Any,
    *,
    flagged_only: bool,
    coachee: Coachee | None,
    date_from: date | None,
    date_to: date | None,
) -> QuerySet[CoachingSession]:
    """The coach's sessions that match the choice (held ones only: there is a reflection)."""
    qs = CoachingSession.objects.for_coach(coach).filter(reflection__isnull=False)
    if flagged_only:
        qs = qs.filter(reflection__supervision_flag__isnull=False)
    if coachee is not None:
        qs = qs.filter(coachee=coachee)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("date", "number")


def make_pack(coach: Any, sessions: list[CoachingSession], **choice: Any) -> SupervisionPack:
    letters: dict[str, str] = {}
    for session in sessions:
        key = str(session.coachee_id)
        if key not in letters:
            letters[key] = letter(len(letters))
    pack = SupervisionPack.objects.create(coach=coach, letters=letters, **choice)
    pack.sessions.set(sessions)
    return pack


def _letters(pack: SupervisionPack, coachees: list[Coachee]) -> dict[int, str]:
    letters = {int(k): v for k, v in pack.letters.items()}
    for coachee in sorted(coachees, key=lambda c: c.pk):
        if coachee.pk not in letters:
            letters[coachee.pk] = letter(len(letters))
    return letters


def pseudonymiser(pack: SupervisionPack, coachees: list[Coachee]) -> Pseudonymiser:
    letters = _letters(pack, coachees)
    people = [
        Person(
            pseudonym=f"Client {letters[c.pk]}",
            names=(c.name, c.preferred_name),
            email=c.email,
            organisation=c.organisation,
        )
        for c in coachees
    ]
    return Pseudonymiser(people, pack.redaction_list)


def pack_docs(pack: SupervisionPack) -> tuple[list[SessionDoc], Pseudonymiser]:
    """The pack's sessions as documents, every text pseudonymised and redacted."""
    return session_docs(pack, pack.sessions.all())


def session_docs(
    pack: SupervisionPack, chosen: QuerySet[CoachingSession], *, pseudonymise: bool = True
) -> tuple[list[SessionDoc], Pseudonymiser]:
    """``chosen`` sessions of the pack's coach as documents, with the pack's letters.

    Also used for reflections shared with a supervisor outside a pack (an unsaved pack
    carries their letters); ``pseudonymise=False`` only when the coach chose to show names.
    """
    everyone = list(Coachee.objects.for_coach(pack.coach))
    names = pseudonymiser(pack, everyone)
    letters = _letters(pack, everyone)
    in_pack = sorted(
        (c for c in everyone if str(c.pk) in pack.letters), key=lambda c: letters[c.pk]
    )
    sessions = CoachingSession.objects.for_coach(pack.coach).filter(pk__in=chosen)
    notes = {
        f.reflection_id: f.note
        for f in SupervisionFlag.objects.for_coach(pack.coach).filter(
            reflection__session__in=sessions
        )
    }
    scrub = names.apply if pseudonymise else _same
    docs = []
    for record in records(in_pack, sessions, scrub=scrub):
        doc = build(record)
        doc.supervision_note = scrub(notes.get(record.reflection.pk, ""))
        docs.append(doc)
    return docs, names


def _same(text: str) -> str:
    return text


def texts_of(docs: list[SessionDoc]) -> Iterator[str]:
    """Every text a coach wrote in the pack (after pseudonyms), to look for names left."""
    for doc in docs:
        yield doc.supervision_note
        for item in doc.items:
            yield item.kind.as_text(item.prompt, item.value)
        for _, text in doc.last_time:
            yield text
        for review in doc.reviews:
            yield review.note
            yield review.action.text
        for answer in doc.others:
            yield answer.text
