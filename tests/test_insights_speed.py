"""What the insights page does to stay fast must not change what the coach sees."""

from __future__ import annotations

import pytest
import time_machine

from debrief.accounts.models import User
from debrief.insights.repertoire import repertoire
from debrief.insights.scope import Scope
from debrief.insights.stats import trend_word
from tests.conftest import make_coachee
from tests.test_insights import TODAY, _sessions, _use


@pytest.mark.django_db
def test_ties_for_best_and_lowest_go_to_the_most_recent_note(alice: User) -> None:
    """Found in one pass over the uses in session order: the later of equal ratings wins."""
    priya = make_coachee(alice, "Priya Shah")
    sessions = _sessions(priya, [50, 40, 30, 20, 10])  # oldest first
    notes = ["low, early", "high, early", "low, late", "high, late", ""]  # the last: no note
    for session, score, note in zip(sessions, [2, 5, 2, 5, 1], notes, strict=True):
        _use(session, "silence", score, note=note)

    with time_machine.travel(TODAY, tick=False):
        (row,) = repertoire(Scope(alice, TODAY)).rows
    assert row.best is not None and row.worst is not None
    assert (row.best.note, row.best.date) == ("high, late", sessions[3].date)
    assert (row.worst.note, row.worst.date) == ("low, late", sessions[2].date)
    assert row.best.session_code == str(sessions[3].code)
    assert (row.uses, row.rated, row.mean) == (5, 5, 3.0)  # the 1 has no note to show
    assert row.trend == trend_word([2, 5, 2, 5, 1]) == "falling"
