"""Accreditation rules as versioned data: one module per body and version.

A rule set holds only numbers, names and where they come from (the pages read and the day they
were checked); ``practice/bodies.py`` holds the logic that applies them. A change in a body's
rules is a new module here (or a changed number with its own test), never an edit of the logic,
and every progress page names the rule set it used. ``CURRENT`` is the set each body uses now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    needs: dict[str, Decimal]  # measure -> at least this much (measures are the body's)
    mentor: str = ""  # the lowest credential a mentor coach must hold for this level


@dataclass(frozen=True)
class RuleSet:
    body: str
    version: str
    checked: date
    sources: tuple[Source, ...]
    levels: tuple[Level, ...]
    renewal_years: int
    renewal_needs: dict[str, Decimal] = field(default_factory=dict)
    caps: dict[str, Decimal] = field(default_factory=dict)  # measure -> at most this counts
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.body.upper()} rules {self.version}, checked {self.checked:%-d %B %Y}"

    def level(self, key: str) -> Level | None:
        return next((lv for lv in self.levels if lv.key == key), None)

    def next_level(self, held: str) -> Level | None:
        keys = [lv.key for lv in self.levels]
        if held not in keys:
            return self.levels[0]
        at = keys.index(held)
        return self.levels[at + 1] if at + 1 < len(self.levels) else None


def d(value: str | int) -> Decimal:
    return Decimal(value)


def _load() -> dict[str, RuleSet]:
    from debrief.practice.rules import ac_2026_12, emcc_2026_12, icf_2026_12

    return {r.body: r for r in (icf_2026_12.RULES, emcc_2026_12.RULES, ac_2026_12.RULES)}


CURRENT: dict[str, RuleSet] = _load()
