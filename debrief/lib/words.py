"""Words for search: folding (case and accents), light English stemming, query parsing.

The index and the highlighter must agree on what a word is, so both use ``word_spans``:
a run of letters and digits (combining accents included, so decomposed text is one word),
optionally joined by apostrophes. ``term_of`` turns such a word into its search form: accents
removed, case folded, a possessive "'s" dropped, apostrophes removed, then lightly stemmed.
"résumés" and "Resume" both become "resum"; "listening" and "listened" become "listen".

The stemmer is deliberately small (a handful of English suffixes, never leaving fewer than
three letters): it should join the obvious forms of a word and never surprise a coach.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"[^\W_][\w{_MARKS}]*(?:['’][^\W_][\w{_MARKS}]*)*")
# Letters that do not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_VOWELS = frozenset("aeiouy")
_UNDOUBLE = frozenset("bdgmnprt")
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
    }
)
MAX_TERMS = 12
MAX_QUERY = 300

_cache: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def fold(word: str) -> str:
    """Lower case without accents: "Résumé" -> "resume", "Straße" -> "strasse"."""
    decomposed = unicodedata.normalize("NFKD", word)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(_LETTERS)


def _has_vowel(text: str) -> bool:
    return any(c in _VOWELS for c in text)


def _strip(word: str, suffix: str) -> str | None:
    """``word`` without ``suffix`` if at least three letters with a vowel remain."""
    if not word.endswith(suffix):
        return None
    rest = word[: -len(suffix)]
    return rest if len(rest) >= 3 and _has_vowel(rest) else None


def stem(word: str) -> str:
    """A light English stem of a folded word; short words and numbers are left alone."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ied", "ing", "ed", "ly"):
        rest = _strip(word, suffix)
        if rest is None:
            continue
        if suffix == "ied":
            rest += "y"
        elif suffix != "ly" and len(rest) > 3 and rest[-1] == rest[-2] and rest[-1] in _UNDOUBLE:
            rest = rest[:-1]  # planned -> plann -> plan
        word = rest
        break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # make / making, resume / resumed
    return word


def forget() -> None:
    """Drop the cached word forms (they are words from coachees' notes)."""
    _cache.clear()


def term_of(word: str) -> str:
    """The search form of one word as ``word_spans`` finds it (cached: vocabularies are small)."""
    found = _cache.get(word)
    if found is not None:
        return found
    folded = fold(word).replace("’", "'")
    if folded.endswith("'s"):
        folded = folded[:-2]
    result = stem(folded.replace("'", ""))
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[word] = result
    return result


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, search form) of each word of ``text``, in order."""
    for match in _WORD.finditer(text):
        term = term_of(match.group())
        if term:
            yield match.start(), match.end(), term


def word_forms(text: str) -> list[str]:
    """Each word of ``text`` as written, found as ``word_spans`` finds them."""
    return _WORD.findall(text)


def terms(text: str) -> list[str]:
    return [t for w in _WORD.findall(text) if (t := term_of(w))]


def index_text(text: str) -> str:
    """The indexed form of a text: its terms, each with a space either side."""
    found = terms(text)
    return f" {' '.join(found)} " if found else ""


@dataclass(frozen=True)
class Query:
    """A parsed search: each item is one term (a word) or several in order (a phrase)."""

    items: tuple[tuple[str, ...], ...]
    shown: tuple[str, ...]  # each item as the coach typed it, for "matches for ..."
    truncated: bool = False

    @property
    def needles(self) -> tuple[str, ...]:
        """What to look for in index text: terms with their surrounding spaces."""
        return tuple(f" {' '.join(item)} " for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


_QUOTED = re.compile(r"[\"“”„](.*?)(?:[\"“”]|$)")


def parse_query(raw: str) -> Query:
    """Words and "quoted phrases"; a word with a hyphen or apostrophe inside is a phrase too.

    Common little words ("the", "and") are left out of a search that has other words, except
    inside quotes. Duplicates go; at most ``MAX_TERMS`` items are kept.
    """
    raw = raw[:MAX_QUERY]
    chunks: list[tuple[str, bool]] = []
    last = 0
    for match in _QUOTED.finditer(raw):
        chunks.extend((w, False) for w in raw[last : match.start()].split())
        chunks.append((match.group(1), True))
        last = match.end()
    chunks.extend((w, False) for w in raw[last:].split())
    found: list[tuple[tuple[str, ...], str, bool]] = []
    for text, quoted in chunks:
        item = tuple(terms(text))
        if item and all(item != seen for seen, _, _ in found):
            found.append((item, text.strip(), quoted))
    meaningful = [f for f in found if f[2] or len(f[0]) > 1 or f[0][0] not in STOPWORDS]
    kept = meaningful or found
    return Query(
        items=tuple(item for item, _, _ in kept[:MAX_TERMS]),
        shown=tuple(f'"{t}"' if quoted else t for _, t, quoted in kept[:MAX_TERMS]),
        truncated=len(kept) > MAX_TERMS or len(raw) >= MAX_QUERY,
    )


def find_items(
    spans: list[tuple[int, int, str]], items: tuple[tuple[str, ...], ...]
) -> list[tuple[int, int]]:
    """Character ranges in the text of ``spans`` where any item (word or phrase) occurs."""
    found: list[tuple[int, int]] = []
    words = [s[2] for s in spans]
    for item in items:
        size = len(item)
        for i in range(len(words) - size + 1):
            if words[i] == item[0] and tuple(words[i : i + size]) == item:
                found.append((spans[i][0], spans[i + size - 1][1]))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
