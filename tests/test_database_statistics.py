"""SQLite's planner statistics: gathered when `manage.py serve` starts and by a scheduled job.

SQLite never analyses on its own; without statistics some of the insights and home page
queries scan all of a coach's rows (debrief/jobs/statistics.py). PostgreSQL keeps its own.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.jobs.registry import all_jobs
from debrief.jobs.runner import run_job
from tests.servers import debrief_server, manage

SETUP = """
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
coach = User.objects.create_user(email="alice@example.com", password="x" * 12)
for n in range(30):
    Coachee.objects.create(coach=coach, name=f"Coachee {n}")
"""


def _analysed(cursor: Any) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if cursor.fetchone() is None:
        return set()
    cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
    return {row[0] for row in cursor.fetchall()}


def test_the_job_is_registered_to_run_every_six_hours() -> None:
    job = all_jobs()["database_statistics"]
    assert job.every == timedelta(hours=6)


@pytest.mark.django_db
def test_the_job_gathers_sqlite_statistics_and_leaves_postgresql_to_itself() -> None:
    coach = User.objects.create_user(email="coach@example.com", password="x" * 12)
    for n in range(5):
        Coachee.objects.create(coach=coach, name=f"Coachee {n}")
    outcome = run_job(all_jobs()["database_statistics"], force=True)
    assert outcome.ran and not outcome.failed
    if connection.vendor == "sqlite":
        assert outcome.summary.startswith("SQLite planner statistics refreshed in ")
        with connection.cursor() as cursor:
            assert "coachees_coachee" in _analysed(cursor)
    else:
        assert (
            outcome.summary == "not needed: PostgreSQL's autovacuum keeps the planner's statistics"
        )


def test_serve_gathers_the_statistics_before_it_answers(tmp_path: Path) -> None:
    # The way `make run` goes: migrate, a coach's data, then `manage.py serve` (SQLite, as on a
    # laptop). A database nobody analysed has no statistics table at all.
    manage(tmp_path, "migrate", "--noinput")
    manage(tmp_path, "shell", "--no-imports", "-c", SETUP)
    with sqlite3.connect(tmp_path / "debrief.sqlite3") as db:
        assert _analysed(db.cursor()) == set()
    with debrief_server(tmp_path), sqlite3.connect(tmp_path / "debrief.sqlite3") as db:
        analysed = _analysed(db.cursor())
    assert {"coachees_coachee", "accounts_user"} <= analysed
