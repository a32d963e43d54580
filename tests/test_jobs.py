"""Scheduled jobs run once however many processes run them: two real processes, one database.

The processes need a database they can all open, so these tests make their own (a SQLite file
in a temporary data directory, or a scratch PostgreSQL database beside the test one when
DATABASE_URL points at PostgreSQL), migrate it with `manage.py migrate`, and count the reminder
emails the console backend prints.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from debrief.jobs.models import JobState
from debrief.jobs.registry import Job
from debrief.jobs.runner import run_job

ROOT = Path(__file__).resolve().parent.parent
SETUP = """
from datetime import date, timedelta
from django.utils import timezone
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession, Reflection
from debrief.prompts.models import default_template_version
from debrief.reminders.models import ReminderSettings
coach = User.objects.create_user(email="alice@example.com", password="x" * 12)
coachee = Coachee.objects.create(coach=coach, name="Priya Shah")
session = CoachingSession.objects.create(
    coach=coach, coachee=coachee, number=1, duration_minutes=60,
    date=timezone.localdate() - timedelta(days=2))
Reflection.objects.create(coach=coach, session=session, template_version=default_template_version())
ReminderSettings.objects.create(
    coach=coach, frequency="daily", send_hour=0, quiet_start=0, quiet_end=0)
"""


def _scratch_postgres(url: str) -> Iterator[str]:
    import psycopg

    base, name = url.rsplit("/", 1)
    scratch = f"{name}_jobs_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield f"{base}/{scratch}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@pytest.fixture
def shared_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), DEBRIEF_SECRET_KEY="jobs-test")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        for scratch in _scratch_postgres(url):
            env["DATABASE_URL"] = scratch
            yield _prepared(env)
    else:
        env.pop("DATABASE_URL", None)
        yield _prepared(env)


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _prepared(env: dict[str, str]) -> dict[str, str]:
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "--no-imports", "-c", SETUP)
    return env


def _emails(outputs: list[str]) -> int:
    return sum(out.count("Subject: Debrief: 1 to reflect on") for out in outputs)


def test_two_run_jobs_processes_at_once_send_one_email(shared_env: dict[str, str]) -> None:
    outputs = []
    for _ in range(3):  # three rounds of two processes started together, not yet due or due
        procs = [
            subprocess.Popen(
                [sys.executable, "manage.py", "run_jobs", "--job", "reminders", "--now"],
                cwd=ROOT,
                env=shared_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs += [p.communicate(timeout=120)[0] for p in procs]
        assert all(p.returncode == 0 for p in procs), outputs
    assert _emails(outputs) == 1, outputs
    assert sum("reminders: ran: 1 due, 1 sent" in out for out in outputs) == 1
    listing = _manage(shared_env, "run_jobs", "--list").stdout
    assert "reminders: every 0:10:00" in listing and "calendar_feeds" in listing


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_two_serve_processes_with_their_schedulers_send_one_email(
    shared_env: dict[str, str],
) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(_free_port())],
            cwd=ROOT,
            env=shared_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    # Every registered job has run once (the schedulers' first look, 5 s after start).
    check = (
        "from debrief.jobs.models import JobState as J; "
        "from debrief.jobs.registry import all_jobs; "
        "print(J.objects.filter(runs__gte=1).count() == len(all_jobs()))"
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _manage(shared_env, "shell", "--no-imports", "-c", check).stdout.strip() == "True":
                break
            time.sleep(1)
        else:
            pytest.fail("the schedulers ran no job within 60 s")
        time.sleep(3)  # both schedulers have had their first look (5 s after start)
    finally:
        for proc in procs:
            proc.terminate()
        outputs = [proc.communicate(timeout=30)[0] for proc in procs]
    assert all("Debrief is running at" in out for out in outputs), outputs
    assert _emails(outputs) == 1, outputs


def test_a_failing_job_is_recorded_and_frees_its_lease(db: None) -> None:
    def broken(now: Any) -> str:
        raise RuntimeError("Priya Shah's notes")  # the text must not be stored

    job = Job("broken", timedelta(minutes=5), broken)
    outcome = run_job(job)
    assert outcome.ran and outcome.failed and outcome.summary == "failed: RuntimeError"
    state = JobState.objects.get(name="broken")
    assert state.last_failed and state.lease_until is None and "Priya" not in state.last_outcome
    assert not run_job(job).ran  # not due again for five minutes
    assert run_job(job, timezone.now() + timedelta(minutes=6)).ran


def test_a_lease_held_elsewhere_is_respected_until_it_expires(db: None) -> None:
    calls: list[int] = []

    def counted(now: Any) -> str:
        calls.append(1)
        return "ok"

    job = Job("counted", timedelta(minutes=1), counted)
    now = timezone.now()
    JobState.objects.create(
        name="counted", next_run=now, lease_until=now + timedelta(minutes=10), holder="other:1"
    )
    assert not run_job(job, now).ran and calls == []
    assert run_job(job, now + timedelta(minutes=11)).ran and calls == [1]
