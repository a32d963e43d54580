"""What the insights page does to stay fast must not change what the coach sees."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from debrief.insights.scope import HeldSession, HeldSessions, QuickSelect

CHOICES = [("", "All coachees"), ("a&b", 'Zoë <"O\'Neil"> & co'), ("3", "Plain")]
GROUPED = [("Group & one", [("1", "one"), ("2", "two")]), ("3", "three")]


@pytest.mark.parametrize("value", [None, "", "a&b", "3", "not offered"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_coachee"}, {"id": 'x"y', "required": True, "disabled": False}]
)
def test_the_quick_select_writes_what_djangos_select_writes(
    value: str | None, attrs: dict[str, object] | None
) -> None:
    expected = forms.Select(choices=CHOICES).render("coachee", value, attrs)
    assert QuickSelect(choices=CHOICES).render("coachee", value, attrs) == expected
    assert 'value="a&amp;b"' in expected  # the comparison covers escaping


@pytest.mark.parametrize("value", ["1", "3"])
def test_the_quick_select_keeps_option_groups(value: str) -> None:
    expected = forms.Select(choices=GROUPED).render("c", value, {"id": "c"})
    assert QuickSelect(choices=GROUPED).render("c", value, {"id": "c"}) == expected
    assert "<optgroup" in expected


def test_held_sessions_read_like_a_list() -> None:
    rows = [
        (i, 10 + i, f"code-{i}", 1, i, date(2026, 1, i), None, 60, None, 7) for i in range(1, 4)
    ]
    held = HeldSessions(rows)
    assert len(held) == 3
    assert held[1] == HeldSession(*rows[1]) and held[1].code == "code-2"
    assert held[-1].date == date(2026, 1, 3)
    assert [s.reflection_id for s in held] == [11, 12, 13]
    assert held[:2] == [HeldSession(*r) for r in rows[:2]]
