"""Names, emails and organisations replaced by pseudonyms, for a supervision pack.

A ``Person`` is one coachee as a pack sees them: the pseudonym they get ("Client A") and what
identifies them (full and preferred names, email, organisation). ``Pseudonymiser.apply``
replaces each of those in a text, whole words only, in any case and with accents folded
("ZOÉ", "zoe" and "Zoé" are one name), keeping the rest of the text exactly as written. A name
is replaced as a whole and part by part ("Priya Shah", "Priya", "Shah"), so "Priya's" reads
"Client A's". Words the coach chose to redact by hand become ``REDACTED``.

``candidates`` lists the capitalised words still left that may be names, for the coach to
check: not common words, not pseudonyms, and not words the same texts also use in lower case
("Reframing" at the start of a sentence, "reframing" elsewhere).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from debrief.lib.words import fold

REDACTED = "[redacted]"
MIN_PART = 2  # a one-letter initial is not replaced on its own (it would hit "a" and "I")
MAX_REDACTIONS = 200
MAX_REDACTION_LENGTH = 100

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_SPLIT = re.compile(r"[\s\-’']+")
# Capitalised words that are ordinary English, never worth a second look.
_COMMON_WORDS = """
    a about after again all also although an and another any are as at be because been before
    being both but by can could did do does doing done during each either even every few for
    from had has have having he her here hers herself him himself his how however i if in into
    is it its itself just last later let like many may maybe me might more most much must my
    myself neither next no nor not now of often on once one only or other our ours ourselves out
    over perhaps please quite rather really she should since so some someone something sometimes
    still such than thank thanks that the their theirs them themselves then there these they this
    those though through thus to today together tomorrow too towards under until up upon us very
    was we well were what whatever when where whether which while who whom whose why will with
    within without would yes yesterday yet you your yours yourself yourselves
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december
    client coach coachee coaching session sessions supervision supervisor goal goals action
    actions next steps overall first second third ok okay
"""
COMMON = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True)
class Person:
    pseudonym: str
    names: tuple[str, ...] = ()
    email: str = ""
    organisation: str = ""


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and the original index of each folded one."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = fold(char) if not char.isascii() else char.lower()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _name_forms(name: str) -> list[str]:
    name = " ".join(name.split())
    if not name:
        return []
    forms = [name]
    words = name.split(" ")
    forms += [w for w in words if len(w) >= MIN_PART]
    forms += [p for p in _SPLIT.split(name) if len(p) >= MIN_PART]
    return forms


@dataclass
class Pseudonymiser:
    people: list[Person]
    redactions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        replacements: dict[str, str] = {}
        for person in self.people:
            pairs = [(f, person.pseudonym) for n in person.names for f in _name_forms(n)]
            if person.organisation.strip():
                organisation = " ".join(person.organisation.split())
                pairs.append((organisation, f"{person.pseudonym}’s organisation"))
            if person.email.strip():
                pairs.append((person.email.strip(), f"{person.pseudonym}’s email"))
            for form, replacement in pairs:
                replacements.setdefault(_folded(form)[0], replacement)
        for word in self.redactions:
            word = " ".join(word.split())
            if word:
                replacements.setdefault(_folded(word)[0], REDACTED)
        self._replacements = replacements
        self.pseudonyms = frozenset(p.pseudonym for p in self.people)
        alternatives = sorted(replacements, key=len, reverse=True)
        body = "|".join(re.escape(a) for a in alternatives)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)") if body else None

    def apply(self, text: str) -> str:
        """``text`` with every name, email, organisation and redaction replaced."""
        if not text or self._pattern is None:
            return text
        folded, where = _folded(text)
        pieces: list[str] = []
        last = 0
        for match in self._pattern.finditer(folded):
            start, end = where[match.start()], where[match.end() - 1] + 1
            if start < last:
                continue
            pieces += [text[last:start], self._replacements[match.group()]]
            last = end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    def candidates(self, texts: Iterable[str]) -> list[str]:
        """Capitalised words left in ``texts`` (already applied) that may be names, sorted."""
        capitalised: set[str] = set()
        lower: set[str] = set()
        hidden = {fold(w) for p in self.pseudonyms for w in p.split()}
        for text in texts:
            for word in _WORD.findall(text):
                word = re.sub(r"[’']s$", "", word).strip("’'-")
                if len(word) < MIN_PART:
                    continue
                folded = fold(word)
                if word[0].isupper():
                    if folded not in COMMON and folded not in hidden:
                        capitalised.add(word)
                else:
                    lower.add(folded)
        return sorted((w for w in capitalised if fold(w) not in lower), key=fold)


def clean_redactions(raw: Iterable[str]) -> tuple[list[str], str]:
    """The coach's hand redactions, one per line, and an error to show ("" when fine)."""
    words: list[str] = []
    for line in raw:
        line = " ".join(line.replace("\x00", "").split())
        if line and fold(line) not in {fold(w) for w in words}:
            words.append(line)
    too_long = [w for w in words if len(w) > MAX_REDACTION_LENGTH]
    if too_long:
        return words, f"Keep each word or phrase to redact under {MAX_REDACTION_LENGTH} characters."
    if len(words) > MAX_REDACTIONS:
        return words, (
            f"That is {len(words):,} words to redact; a pack keeps up to {MAX_REDACTIONS}. "
            "If so much needs hiding, choose fewer sessions."
        )
    return words, ""
