"""DEBRIEF_SEARCH_INDEX_COACHES: how many coaches' search indexes a process keeps in memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from debrief.accounts.models import User
from debrief.journal.models import Answer
from debrief.lib.words import parse_query
from debrief.search import index
from debrief.search.engine import Filters, search
from tests.conftest import make_coach, make_coachee, make_session

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    index.forget_all()


def _coach_with_a_note(email: str, word: str) -> User:
    coach = make_coach(email)
    session = make_session(make_coachee(coach, "Priya Shah"))
    Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=word)
    return coach


def _finds(coach: User, word: str) -> bool:
    return bool(search(coach, parse_query(word), Filters()))


def test_the_default_bound_is_read_from_the_settings() -> None:
    assert django_settings.DEBRIEF_SEARCH_INDEX_COACHES == 50


@pytest.mark.django_db
def test_past_the_bound_the_least_recently_searched_coach_leaves_memory_and_comes_back() -> None:
    coaches = [_coach_with_a_note(f"c{n}@example.com", f"Marmalade{n}") for n in range(3)]
    with override_settings(DEBRIEF_SEARCH_INDEX_COACHES=2):
        assert _finds(coaches[0], "marmalade0")
        assert _finds(coaches[1], "marmalade1")
        assert _finds(coaches[0], "marmalade0")  # coach 0 is now the most recent
        assert _finds(coaches[2], "marmalade2")  # a third: coach 1, the least recent, leaves
        held = {c.id for c in coaches if index.cached_text(c.id)}
        assert held == {coaches[0].id, coaches[2].id}
        assert "marmalade1" not in "".join(index.cached_text(c.id) for c in coaches)
        assert _finds(coaches[1], "marmalade1")  # read again from the sealed shards
        assert not _finds(coaches[1], "marmalade0")  # and only their own


@pytest.mark.django_db
def test_a_bigger_bound_keeps_every_coach() -> None:
    coaches = [_coach_with_a_note(f"c{n}@example.com", f"Quince{n}") for n in range(3)]
    with override_settings(DEBRIEF_SEARCH_INDEX_COACHES=3):
        for n, coach in enumerate(coaches):
            assert _finds(coach, f"quince{n}")
        assert all(index.cached_text(c.id) for c in coaches)


@pytest.mark.parametrize(
    "value, message",
    [
        ("0", "DEBRIEF_SEARCH_INDEX_COACHES must be at least 1"),
        ("many", "DEBRIEF_SEARCH_INDEX_COACHES must be a whole number"),
        ("-4", "DEBRIEF_SEARCH_INDEX_COACHES must be at least 1"),
    ],
)
def test_a_bad_bound_stops_start_up_with_one_line(tmp_path: Path, value: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), DEBRIEF_SEARCH_INDEX_COACHES=value),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
