"""Run the scheduled jobs that are due: for cron or a systemd timer (see docs/jobs.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from debrief.jobs.registry import all_jobs
from debrief.jobs.runner import next_runs, run_due


class Command(BaseCommand):
    help = (
        "Run every scheduled job that is due (reminders, calendar feeds), each once however "
        "many processes run it. Safe to call every few minutes from cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", help="Run only this job.")
        parser.add_argument(
            "--now", action="store_true", help="Run even if not yet due (never twice at once)."
        )
        parser.add_argument(
            "--list", action="store_true", help="List the jobs and when each is next due."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name, every, state in next_runs():
                due = state.next_run.isoformat(timespec="minutes") if state else "at the next run"
                last = state.last_outcome if state and state.last_outcome else "never run"
                self.stdout.write(f"{name}: every {every}, next {due}; last: {last}")
            return
        only = options["job"]
        if only and only not in all_jobs():
            raise CommandError(f"No job named {only!r}. Jobs: {', '.join(sorted(all_jobs()))}.")
        for outcome in run_due(timezone.now(), only=only, force=options["now"]):
            verb = "ran" if outcome.ran else "skipped"
            self.stdout.write(f"{outcome.name}: {verb}: {outcome.summary}")
