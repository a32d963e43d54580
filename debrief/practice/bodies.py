"""Accreditation bodies: one class per body, in a registry, applying its rule set to the facts.

No Django here: a body reads ``Facts`` and a ``RuleSet`` and returns ``Progress``, so every rule
is tested on hand-worked facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from debrief.icflog.log import months_before, show
from debrief.practice.facts import Dated, Facts
from debrief.practice.rules import CURRENT, Level, RuleSet

ZERO = Decimal(0)


@dataclass(frozen=True)
class Choice:
    """What the coach told Debrief about one body: the level held, when, and the route."""

    level_held: str = ""
    awarded_on: date | None = None
    route: str = ""


@dataclass(frozen=True)
class Line:
    """One requirement: what counts (after any cap) against what is needed."""

    label: str
    have: Decimal
    need: Decimal | None  # None: a cap to show, not a requirement
    unit: str = "hours"
    recorded: Decimal | None = None  # before the cap, where a cap applies
    cap: Decimal | None = None

    @property
    def met(self) -> bool:
        return self.need is None or self.have >= self.need

    @property
    def remaining(self) -> Decimal:
        return max((self.need or ZERO) - self.have, ZERO)

    @property
    def excess(self) -> Decimal:
        return max((self.recorded or ZERO) - self.have, ZERO)

    def __str__(self) -> str:
        if self.need is None:
            text = f"{self.label}: {show(self.recorded or ZERO)} {self.unit} recorded"
            text += f", at most {show(self.cap or ZERO)} count"
        else:
            text = f"{self.label}: {show(self.have)} of {show(self.need)} {self.unit}"
            text += ": met" if self.met else f" — {show(self.remaining)} to go"
        if self.excess:
            text += f" ({show(self.excess)} over the cap, not counted)"
        return text

    @property
    def short(self) -> str:
        figures = f"{show(self.have)} of {show(self.need or ZERO)} {self.unit}"
        if self.label == self.unit:
            return figures
        # In a sentence: "mentor coaching", "core competencies", but "CPD" and "PCC" stay.
        words = [w if w.isupper() else w.lower() for w in self.label.split()]
        return " ".join([*words, figures])


@dataclass(frozen=True)
class Goal:
    title: str
    lines: tuple[Line, ...]
    by: date | None = None
    renewal: bool = False

    @property
    def met(self) -> bool:
        return all(line.met for line in self.lines)

    @property
    def heading(self) -> str:
        return f"{self.title} by {self.by:%-d %B %Y}" if self.by else self.title

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if not line.met]

    @property
    def summary(self) -> str:
        """For example 'ACC renewal by 14 March 2028: 31 of 40 CCE; mentor coaching 6 of 10'."""
        if self.met:
            return f"{self.heading}: every requirement met"
        return f"{self.heading}: " + "; ".join(line.short for line in self.missing[:3])


@dataclass(frozen=True)
class Progress:
    body: Body
    rules: RuleSet
    choice: Choice
    goals: tuple[Goal, ...] = field(default_factory=tuple)

    @property
    def held(self) -> Level | None:
        return self.rules.level(self.choice.level_held)


def add_years(day: date, years: int) -> date:
    return months_before(day, -12 * years)


def whole_months(first: date, last: date) -> int:
    months = (last.year - first.year) * 12 + last.month - first.month
    return months - (1 if last.day < first.day else 0)


def _hours(entries: list[Dated]) -> Decimal:
    return sum((e.hours for e in entries), ZERO)


def _within(entries: list[Dated], start: date, end: date) -> list[Dated]:
    return [e for e in entries if start <= e.date <= end]


class Body:
    key = ""
    name = ""
    full_name = ""

    def progress(self, facts: Facts, choice: Choice, rules: RuleSet | None = None) -> Progress:
        rules = rules or CURRENT[self.key]
        goals: list[Goal] = []
        target = rules.next_level(choice.level_held)
        if target is not None:
            goals.append(Goal(target.name, tuple(self.level_lines(facts, target, choice))))
        held = rules.level(choice.level_held)
        if held is not None and choice.awarded_on is not None:
            by = add_years(choice.awarded_on, rules.renewal_years)
            lines = self.renewal_lines(facts, held, rules, choice.awarded_on, by)
            goals.append(Goal(f"{held.name} renewal", tuple(lines), by=by, renewal=True))
        return Progress(self, rules, choice, tuple(goals))

    def level_lines(self, facts: Facts, level: Level, choice: Choice) -> list[Line]:
        raise NotImplementedError

    def renewal_lines(
        self, facts: Facts, held: Level, rules: RuleSet, start: date, by: date
    ) -> list[Line]:
        raise NotImplementedError


ICF_RANK = {"ACC": 1, "PCC": 2, "MCC": 3}


class ICF(Body):
    key = "icf"
    name = "ICF"
    full_name = "International Coaching Federation"

    def _mentor_lines(
        self, entries: list[Dated], needs: dict[str, Decimal], hours: str
    ) -> list[Line]:
        one_to_one = _hours([e for e in entries if e.flag])
        span = whole_months(min(e.date for e in entries), max(e.date for e in entries))
        return [
            Line("Mentor coaching", _hours(entries), needs[hours]),
            Line("One-to-one mentor coaching", one_to_one, needs["mentor_one_to_one"]),
            Line(
                "Mentor coaching spread over",
                Decimal(span),
                needs.get("mentor_months", Decimal(3)),
                "months",
            ),
        ]

    def level_lines(self, facts: Facts, level: Level, choice: Choice) -> list[Line]:
        log, needs = facts.log, level.needs
        lines = [
            Line("Coaching", log.total_hours, needs["hours"]),
            Line("Paid coaching", log.paid_hours, needs["paid_hours"]),
            Line("Clients", Decimal(log.clients), needs["clients"], "clients"),
        ]
        if "recent_hours" in needs:
            lines.append(
                Line("Coaching in the last 18 months", log.recent_hours, needs["recent_hours"])
            )
        lines.append(Line("Coach-specific training", facts.training_hours, needs["training_hours"]))
        # Only a mentor holding the level's mentor credential (PCC or MCC) or above counts.
        rank = ICF_RANK[level.mentor]
        eligible = [e for e in facts.mentoring if ICF_RANK.get(e.credential, 0) >= rank]
        if eligible:
            lines += self._mentor_lines(eligible, needs, "mentor_hours")
        else:
            who = "an MCC" if level.mentor == "MCC" else f"a {level.mentor} or MCC"
            lines.append(Line(f"Mentor coaching with {who}", ZERO, needs["mentor_hours"]))
        return lines

    def renewal_lines(
        self, facts: Facts, held: Level, rules: RuleSet, start: date, by: date
    ) -> list[Line]:
        needs, caps = rules.renewal_needs, rules.caps
        cpd = _within(facts.cpd, start, by)
        core = _hours([e for e in cpd if e.kind in ("core", "ethics")])
        ethics = _hours([e for e in cpd if e.kind == "ethics"])
        resource = _hours([e for e in cpd if e.kind == "resource"])
        mentoring = _within(facts.mentoring, start, by)
        mentor, supervision = _hours(mentoring), _hours(_within(facts.supervision, start, by))
        resource_c = min(resource, caps["resource_cce"])
        mentor_c, supervision_c = (
            min(mentor, caps["mentor_cce"]),
            min(supervision, caps["supervision_cce"]),
        )
        core_c = core + mentor_c + supervision_c
        lines = [
            Line("CCE", core_c + resource_c, needs["cce"], "CCE"),
            Line("Core Competencies", core_c, needs["core_cce"], "CCE"),
            Line("Ethics", ethics, needs["ethics_cce"], "CCE"),
            Line("Resource Development", resource_c, None, "CCE", resource, caps["resource_cce"]),
            Line("Mentor coaching as CCE", mentor_c, None, "CCE", mentor, caps["mentor_cce"]),
            Line(
                "Supervision as CCE",
                supervision_c,
                None,
                "CCE",
                supervision,
                caps["supervision_cce"],
            ),
        ]
        if held.key == "acc":
            eligible = [e for e in mentoring if e.credential in ICF_RANK]
            if eligible:
                lines += self._mentor_lines(eligible, needs, "acc_mentor_hours")
            else:
                lines.append(Line("Mentor coaching", ZERO, needs["acc_mentor_hours"]))
        return lines


class EMCC(Body):
    key = "emcc"
    name = "EMCC"
    full_name = "EMCC Global (European Individual Accreditation)"

    @staticmethod
    def quarters_with_supervision(facts: Facts) -> int:
        """Of the last four complete calendar quarters, how many had an hour of supervision."""
        this_quarter = date(facts.today.year, 3 * ((facts.today.month - 1) // 3) + 1, 1)
        count = 0
        for back in range(1, 5):
            start = months_before(this_quarter, 3 * back)
            end = months_before(this_quarter, 3 * (back - 1))
            hours = _hours([e for e in facts.supervision if start <= e.date < end])
            count += hours >= 1
        return count

    def _ongoing(self, facts: Facts, needs: dict[str, Decimal]) -> list[Line]:
        year_ago = months_before(facts.today, 12)
        cpd = _hours([e for e in facts.cpd if e.date > year_ago])
        return [
            Line("CPD in the last 12 months", cpd, needs["cpd_12m"]),
            Line(
                "Quarters with an hour of supervision (of the last 4)",
                Decimal(self.quarters_with_supervision(facts)),
                needs["supervision_quarters"],
                "quarters",
            ),
        ]

    def level_lines(self, facts: Facts, level: Level, choice: Choice) -> list[Line]:
        needs, year_ago = level.needs, months_before(facts.today, 12)
        since = facts.practising_since
        years = Decimal(whole_months(since, facts.today) // 12) if since else ZERO
        feedback = sum(1 for day in facts.feedback if day > year_ago)
        reflections = sum(1 for day in facts.reflections if day > year_ago)
        return [
            Line("Years since you first practised", years, needs["years"], "years"),
            Line("Client contact", facts.all_hours, needs["hours"]),
            Line("Clients", Decimal(facts.log.clients), needs["clients"], "clients"),
            Line(
                "Client feedback in the last 12 months",
                Decimal(feedback),
                needs["feedback_12m"],
                "items",
            ),
            *self._ongoing(facts, needs),
            Line(
                "Reflections in the last 12 months",
                Decimal(reflections),
                needs["reflections_12m"],
                "reflections",
            ),
        ]

    def renewal_lines(
        self, facts: Facts, held: Level, rules: RuleSet, start: date, by: date
    ) -> list[Line]:
        return self._ongoing(facts, rules.renewal_needs)


class AC(Body):
    key = "ac"
    name = "AC"
    full_name = "Association for Coaching"

    def level_lines(self, facts: Facts, level: Level, choice: Choice) -> list[Line]:
        needs = level.needs
        executive = choice.route == "executive"
        experience = facts.executive_hours if executive else facts.all_hours
        months = {(e.date.year, e.date.month) for e in facts.supervision}
        lines = [
            Line("Coach training", facts.training_hours, needs["training_hours"]),
            Line(
                "Executive coaching" if executive else "Coaching experience",
                experience,
                needs["hours"],
            ),
            Line(
                "Months with supervision",
                Decimal(len(months)),
                needs["supervision_months"],
                "months",
            ),
        ]
        if "cpd_log" in needs:
            lines.append(Line("CPD recorded", Decimal(len(facts.cpd)), needs["cpd_log"], "entries"))
        else:
            since = months_before(facts.today, 36)
            cpd = _hours([e for e in facts.cpd if e.date > since])
            lines.append(Line("CPD in the last 3 years", cpd, needs["cpd_3y"]))
        return lines

    def renewal_lines(
        self, facts: Facts, held: Level, rules: RuleSet, start: date, by: date
    ) -> list[Line]:
        cpd = _hours(_within(facts.cpd, start, by))
        return [Line("CPD since your award", cpd, rules.renewal_needs["cpd_3y"])]


BODIES: dict[str, Body] = {b.key: b for b in (ICF(), EMCC(), AC())}
