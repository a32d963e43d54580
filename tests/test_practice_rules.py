"""Each body's rules against hand-worked examples: every level, every cap, every renewal."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from debrief.icflog import log as icf
from debrief.practice.bodies import AC, EMCC, ICF, Choice, Goal, add_years, whole_months
from debrief.practice.facts import Dated, Facts
from debrief.practice.rules import CURRENT, d

TODAY = date(2026, 12, 1)
ANA = icf.Client(1, "Ana", "", True)


def _sessions(count: int, minutes: int = 60, client: icf.Client = ANA, **extra: Any):
    start = TODAY - timedelta(days=count)
    return [
        icf.Session(client, start + timedelta(days=i), minutes, True, **extra) for i in range(count)
    ]


def _facts(sessions=(), opening: icf.Opening | None = None, **extra: Any) -> Facts:
    sessions = list(sessions)
    log = icf.build_log(sessions, opening or icf.Opening(), TODAY)
    return Facts(today=TODAY, log=log, sessions=sessions, **extra)


def _lines(goal: Goal) -> list[str]:
    return [str(line) for line in goal.lines]


def _mentoring(hours: int, first: date, last: date, credential: str = "PCC") -> list[Dated]:
    """Three hours one to one on the first day, the rest in a group on the last."""
    rest = hours - 3
    return [
        Dated(first, d(3), "individual", True, credential),
        Dated(last, d(rest), "group", False, credential),
    ]


# --- ICF ---------------------------------------------------------------------------------------


def test_icf_acc_is_met_exactly_at_every_threshold() -> None:
    # 25 hours in the last 25 days (all recent) + 75 hours before Debrief = 100 hours;
    # 25 + 50 = 75 paid; 1 client in Debrief + 7 before = 8; 60 hours of training;
    # 10 hours of mentor coaching from a PCC over exactly 3 months.
    facts = _facts(
        _sessions(25),
        icf.Opening(paid_hours=d(50), pro_bono_hours=d(25), clients=7),
        training_hours=d(60),
        mentoring=_mentoring(10, date(2026, 6, 1), date(2026, 9, 1)),
    )
    goal = ICF().progress(facts, Choice()).goals[0]
    assert goal.title == "ACC" and goal.met
    assert _lines(goal) == [
        "Coaching: 100 of 100 hours: met",
        "Paid coaching: 75 of 75 hours: met",
        "Clients: 8 of 8 clients: met",
        "Coaching in the last 18 months: 25 of 25 hours: met",
        "Coach-specific training: 60 of 60 hours: met",
        "Mentor coaching: 10 of 10 hours: met",
        "One-to-one mentor coaching: 3 of 3 hours: met",
        "Mentor coaching spread over: 3 of 3 months: met",
    ]
    short = dataclasses.replace(facts, mentoring=_mentoring(10, date(2026, 6, 2), date(2026, 9, 1)))
    assert [str(x) for x in ICF().progress(short, Choice()).goals[0].missing] == [
        "Mentor coaching spread over: 2 of 3 months — 1 to go"
    ]


def test_icf_mentor_coaching_needs_3_hours_one_to_one() -> None:
    group_only = [
        Dated(date(2026, 1, 1), d(5), "group", False, "MCC"),
        Dated(date(2026, 5, 1), d(5), "group", False, "PCC"),
    ]
    facts = _facts(_sessions(1), mentoring=group_only)
    goal = ICF().progress(facts, Choice()).goals[0]
    assert [str(x) for x in goal.missing if "mentor" in x.label.lower()] == [
        "One-to-one mentor coaching: 0 of 3 hours — 3 to go"
    ]
    # For MCC only an MCC mentor counts.
    mcc = ICF().progress(facts, Choice("pcc")).goals[0]
    assert "Mentor coaching: 5 of 10 hours — 5 to go" in [str(x) for x in mcc.lines]


def test_icf_pcc_needs_a_mentor_at_pcc_or_above() -> None:
    # Holding ACC, with 120 hours (100 paid) and an ACC mentor: the mentor does not count.
    sessions = _sessions(100)
    facts = _facts(
        sessions,
        icf.Opening(pro_bono_hours=d(20), clients=11),
        training_hours=d(80),
        mentoring=_mentoring(10, date(2026, 1, 5), date(2026, 6, 5), "ACC"),
    )
    goal = ICF().progress(facts, Choice("acc")).goals[0]
    assert goal.title == "PCC"
    assert _lines(goal) == [
        "Coaching: 120 of 500 hours — 380 to go",
        "Paid coaching: 100 of 450 hours — 350 to go",
        "Clients: 12 of 25 clients — 13 to go",
        "Coaching in the last 18 months: 100 of 50 hours: met",
        "Coach-specific training: 80 of 125 hours — 45 to go",
        "Mentor coaching with a PCC or MCC: 0 of 10 hours — 10 to go",
    ]


def test_icf_mcc_has_no_recent_hours_rule_and_counts_group_people() -> None:
    # One group of 12 for 10 hours: 10 hours, 12 clients. Opening 2,490 paid hours, 23 clients.
    group = _sessions(10, group=True, group_size=12)
    facts = _facts(
        group,
        icf.Opening(paid_hours=d(2490), clients=23),
        training_hours=d(200),
        mentoring=_mentoring(10, date(2025, 1, 1), date(2025, 12, 1), "MCC"),
    )
    goal = ICF().progress(facts, Choice("pcc")).goals[0]
    assert goal.title == "MCC" and goal.met
    assert not any("18 months" in line for line in _lines(goal))
    assert ICF().progress(facts, Choice("mcc")).goals == ()  # nothing higher, no award date


def _renewal_facts(**extra: Any) -> Facts:
    return _facts(_sessions(5), **extra)


def test_icf_acc_renewal_caps_resource_mentor_and_supervision() -> None:
    # Cycle 14 March 2025 to 14 March 2028. Core 7 + ethics 3 = 10; resource 20 (16 count);
    # mentoring 6 (all count, under 10); supervision 14 (10 count).
    # Core Competencies = 10 + 6 + 10 = 26; CCE = 26 + 16 = 42.
    cpd = [
        Dated(date(2025, 5, 1), d(7), "core"),
        Dated(date(2025, 6, 1), d(3), "ethics"),
        Dated(date(2026, 2, 1), d(20), "resource"),
        Dated(date(2024, 12, 1), d(30), "core"),  # before the cycle: not counted
    ]
    supervision = [Dated(date(2026, 1, 1) + timedelta(days=30 * i), d(2)) for i in range(7)]
    facts = _renewal_facts(
        cpd=cpd,
        supervision=supervision,
        mentoring=_mentoring(6, date(2026, 3, 1), date(2026, 8, 1)),
    )
    progress = ICF().progress(facts, Choice("acc", date(2025, 3, 14)))
    renewal = progress.goals[1]
    assert renewal.heading == "ACC renewal by 14 March 2028" and renewal.renewal
    assert _lines(renewal) == [
        "CCE: 42 of 40 CCE: met",
        "Core Competencies: 26 of 24 CCE: met",
        "Ethics: 3 of 3 CCE: met",
        "Resource Development: 20 CCE recorded, at most 16 count (4 over the cap, not counted)",
        "Mentor coaching as CCE: 6 CCE recorded, at most 10 count",
        "Supervision as CCE: 14 CCE recorded, at most 10 count (4 over the cap, not counted)",
        "Mentor coaching: 6 of 10 hours — 4 to go",
        "One-to-one mentor coaching: 3 of 3 hours: met",
        "Mentor coaching spread over: 5 of 3 months: met",
    ]
    assert renewal.summary == "ACC renewal by 14 March 2028: mentor coaching 6 of 10 hours"


def test_icf_renewal_short_of_cce_reads_as_the_issue_asks() -> None:
    # Core 10 (ethics 3 of them), resource 5, mentoring 6, supervision 10: 26 core, 31 CCE.
    cpd = [
        Dated(date(2026, 1, 1), d(7), "core"),
        Dated(date(2026, 1, 2), d(3), "ethics"),
        Dated(date(2026, 1, 3), d(5), "resource"),
    ]
    facts = _renewal_facts(
        cpd=cpd,
        supervision=[Dated(date(2026, 2, 1), d(10))],
        mentoring=_mentoring(6, date(2026, 3, 1), date(2026, 8, 1)),
    )
    renewal = ICF().progress(facts, Choice("acc", date(2025, 3, 14))).goals[1]
    assert renewal.summary == (
        "ACC renewal by 14 March 2028: 31 of 40 CCE; mentor coaching 6 of 10 hours"
    )


def test_icf_mentor_coaching_over_the_cap_is_counted_at_10() -> None:
    facts = _renewal_facts(mentoring=_mentoring(13, date(2026, 1, 1), date(2026, 6, 1)))
    renewal = ICF().progress(facts, Choice("pcc", date(2025, 3, 14))).goals[1]
    assert (
        "Mentor coaching as CCE: 13 CCE recorded, at most 10 count (3 over the cap, not counted)"
        in _lines(renewal)
    )
    assert renewal.lines[1].have == 10  # Core Competencies: the 10 that count
    # PCC renewal asks for no mentor coaching of its own.
    assert not any(line.startswith("Mentor coaching:") for line in _lines(renewal))


# --- EMCC --------------------------------------------------------------------------------------

QUARTERS = [date(2025, 10, 15), date(2026, 1, 15), date(2026, 4, 15), date(2026, 9, 30)]


def _emcc(hours: int, clients: int, years_ago: int, **extra: Any) -> Facts:
    people = [icf.Client(i, f"C{i}", "", True) for i in range(clients)]
    sessions = [
        icf.Session(people[i % clients], TODAY - timedelta(days=i + 1), 60, True)
        for i in range(hours)
    ]
    defaults: dict[str, Any] = {
        "first_practised": date(TODAY.year - years_ago, TODAY.month, TODAY.day),
        "feedback": [TODAY - timedelta(days=30 * i) for i in range(5)],
        "cpd": [Dated(date(2026, 3, 1), d(16), "core")],
        "supervision": [Dated(day, d(1)) for day in QUARTERS],
        "reflections": [TODAY - timedelta(days=10 * i) for i in range(5)],
    }
    defaults.update(extra)
    return _facts(sessions, **defaults)


@pytest.mark.parametrize(
    ("held", "target", "years", "hours", "clients"),
    [
        ("", "Foundation", 1, 50, 5),
        ("foundation", "Practitioner", 3, 100, 10),
        ("practitioner", "Senior Practitioner", 5, 250, 20),
        ("senior", "Master Practitioner", 7, 500, 40),
    ],
)
def test_emcc_each_level_is_met_exactly_and_one_short_is_not(
    held: str, target: str, years: int, hours: int, clients: int
) -> None:
    goal = EMCC().progress(_emcc(hours, clients, years), Choice(held)).goals[0]
    assert goal.title == target and goal.met, _lines(goal)
    assert _lines(goal)[:3] == [
        f"Years since you first practised: {years} of {years} years: met",
        f"Client contact: {hours} of {hours} hours: met",
        f"Clients: {clients} of {clients} clients: met",
    ]
    short = EMCC().progress(_emcc(hours - 1, clients - 1, years - 1), Choice(held)).goals[0]
    assert [str(x) for x in short.missing] == [
        f"Years since you first practised: {years - 1} of {years} years — 1 to go",
        f"Client contact: {hours - 1} of {hours} hours — 1 to go",
        f"Clients: {clients - 1} of {clients} clients — 1 to go",
    ]


def test_emcc_feedback_cpd_supervision_and_reflections_of_the_last_12_months() -> None:
    old = TODAY - timedelta(days=400)
    facts = _emcc(
        60,
        6,
        2,
        feedback=[old] + [TODAY - timedelta(days=i) for i in range(4)],
        cpd=[Dated(old, d(30)), Dated(date(2026, 5, 1), d("15.5"))],
        # Q3 2026 has only half an hour; the current quarter (Q4) is not complete yet.
        supervision=[
            Dated(QUARTERS[0], d(1)),
            Dated(QUARTERS[1], d(1)),
            Dated(QUARTERS[2], d(1)),
            Dated(date(2026, 8, 1), d("0.5")),
            Dated(date(2026, 11, 1), d(2)),
        ],
        reflections=[TODAY - timedelta(days=i) for i in range(3)],
    )
    goal = EMCC().progress(facts, Choice()).goals[0]
    assert [str(x) for x in goal.missing] == [
        "Client feedback in the last 12 months: 4 of 5 items — 1 to go",
        "CPD in the last 12 months: 15.5 of 16 hours — 0.5 to go",
        "Quarters with an hour of supervision (of the last 4): 3 of 4 quarters — 1 to go",
        "Reflections in the last 12 months: 3 of 5 reflections — 2 to go",
    ]


def test_emcc_renewal_is_five_years_from_the_award() -> None:
    progress = EMCC().progress(_emcc(10, 2, 3), Choice("practitioner", date(2022, 6, 1)))
    renewal = progress.goals[1]
    assert renewal.heading == "Practitioner renewal by 1 June 2027" and renewal.met


def test_emcc_years_count_from_the_first_session_when_no_date_is_given() -> None:
    facts = _emcc(10, 2, 0, first_practised=None)
    line = EMCC().progress(facts, Choice()).goals[0].lines[0]
    assert str(line) == "Years since you first practised: 0 of 1 years — 1 to go"


# --- AC ----------------------------------------------------------------------------------------


def _ac(
    hours: int, training: int, months: int, cpd_hours: int, entries: int = 1, **extra: Any
) -> Facts:
    supervision = [Dated(date(2025, 1, 10) + timedelta(days=31 * i), d(1)) for i in range(months)]
    cpd = [Dated(date(2025, 6, 1), d(cpd_hours) / entries)] * entries
    return _facts(
        _sessions(hours), training_hours=d(training), supervision=supervision, cpd=cpd, **extra
    )


@pytest.mark.parametrize(
    ("held", "target", "training", "hours", "months", "cpd"),
    [
        ("", "Foundation", 35, 75, 3, None),
        ("foundation", "Coach", 40, 250, 6, 30),
        ("coach", "Professional", 60, 750, 9, 36),
        ("professional", "Master", 80, 1500, 12, 42),
    ],
)
def test_ac_each_level_is_met_exactly(
    held: str, target: str, training: int, hours: int, months: int, cpd: int | None
) -> None:
    facts = _ac(hours, training, months, cpd or 2)
    goal = AC().progress(facts, Choice(held)).goals[0]
    assert goal.title == target and goal.met, _lines(goal)
    last = (
        "CPD recorded: 1 of 1 entries: met"
        if cpd is None
        else f"CPD in the last 3 years: {cpd} of {cpd} hours: met"
    )
    assert _lines(goal) == [
        f"Coach training: {training} of {training} hours: met",
        f"Coaching experience: {hours:,} of {hours:,} hours: met",
        f"Months with supervision: {months} of {months} months: met",
        last,
    ]
    short = AC().progress(_ac(hours - 1, training - 1, months - 1, (cpd or 2) - 1), Choice(held))
    assert len(short.goals[0].missing) == (3 if cpd is None else 4)


def test_ac_executive_route_counts_only_executive_coaching() -> None:
    exec_client, other = icf.Client(1, "E", "", True), icf.Client(2, "O", "", True)
    sessions = _sessions(50, client=exec_client) + _sessions(40, client=other)
    facts = _facts(sessions, executive=frozenset({1}), training_hours=d(35))
    coach_route = AC().progress(facts, Choice()).goals[0]
    executive = AC().progress(facts, Choice(route="executive")).goals[0]
    assert str(coach_route.lines[1]) == "Coaching experience: 90 of 75 hours: met"
    assert str(executive.lines[1]) == "Executive coaching: 50 of 75 hours — 25 to go"


def test_ac_months_of_supervision_are_distinct_calendar_months() -> None:
    supervision = [
        Dated(date(2026, 1, 5), d(1)),
        Dated(date(2026, 1, 25), d(1)),
        Dated(date(2026, 3, 1), d(1)),
    ]
    facts = _facts(_sessions(1), supervision=supervision)
    line = AC().progress(facts, Choice()).goals[0].lines[2]
    assert str(line) == "Months with supervision: 2 of 3 months — 1 to go"


def test_ac_renewal_is_three_years_from_the_award() -> None:
    facts = _facts(_sessions(1), cpd=[Dated(date(2025, 1, 1), d(31))])
    renewal = AC().progress(facts, Choice("coach", date(2024, 2, 29))).goals[1]
    assert renewal.heading == "Coach renewal by 28 February 2027"
    assert _lines(renewal) == ["CPD since your award: 31 of 30 hours: met"]


# --- rules are data ----------------------------------------------------------------------------


def test_the_rule_sets_in_use_and_their_key_figures() -> None:
    # A rule change is a data change: this test names every figure a coach relies on.
    assert {k: (r.version, r.checked) for k, r in CURRENT.items()} == {
        "icf": ("2026-12", date(2026, 12, 1)),
        "emcc": ("2026-12", date(2026, 12, 1)),
        "ac": ("2026-12", date(2026, 12, 1)),
    }
    icf_rules = CURRENT["icf"]
    assert [
        (lv.name, lv.needs["hours"], lv.needs["paid_hours"], lv.needs["clients"])
        for lv in icf_rules.levels
    ] == [("ACC", 100, 75, 8), ("PCC", 500, 450, 25), ("MCC", 2500, 2250, 35)]
    assert icf_rules.renewal_years == 3 and icf_rules.caps == {
        "resource_cce": 16,
        "mentor_cce": 10,
        "supervision_cce": 10,
    }
    assert [
        (lv.needs["years"], lv.needs["hours"], lv.needs["clients"]) for lv in CURRENT["emcc"].levels
    ] == [(1, 50, 5), (3, 100, 10), (5, 250, 20), (7, 500, 40)]
    assert [lv.needs["hours"] for lv in CURRENT["ac"].levels] == [75, 250, 750, 1500]
    for rules in CURRENT.values():
        assert rules.sources and all(s.url.startswith("https://") for s in rules.sources)


def test_a_changed_rule_set_changes_progress_and_names_itself() -> None:
    changed = dataclasses.replace(
        CURRENT["icf"],
        version="2027-01",
        levels=(
            dataclasses.replace(
                CURRENT["icf"].levels[0],
                needs={**CURRENT["icf"].levels[0].needs, "hours": Decimal(120)},
            ),
            *CURRENT["icf"].levels[1:],
        ),
    )
    facts = _facts(_sessions(100))
    progress = ICF().progress(facts, Choice(), changed)
    assert str(progress.goals[0].lines[0]) == "Coaching: 100 of 120 hours — 20 to go"
    assert progress.rules.label == "ICF rules 2027-01, checked 1 December 2026"


def test_dates_add_up() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert whole_months(date(2026, 1, 31), date(2026, 4, 30)) == 2
    assert whole_months(date(2026, 1, 15), date(2026, 4, 15)) == 3
