"""Apply every coach's retention period: for a daily scheduled run (cron, a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.exchange.holdings import NOTHING, Holdings, holdings_of
from debrief.exchange.models import RetentionPolicy
from debrief.exchange.retention import due_for_erasure, erase_due


def _summary(coachees: int, held: Holdings) -> str:
    return (
        f"{coachees} coachee(s), {held.sessions} session(s), {held.reflections} reflection(s), "
        f"{held.answers} answer(s), {held.action_items} action item(s)"
    )


class Command(BaseCommand):
    help = (
        "Erase the completed and archived coachees that each coach's retention period has "
        "reached. Prints counts only, never names."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count who would be erased, and erase nobody.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        policies = RetentionPolicy.objects.filter(years__isnull=False).select_related("coach")
        verb = "would erase" if dry_run else "erased"
        coachees, total = 0, NOTHING
        for policy in policies.order_by("coach_id"):
            due = due_for_erasure(policy.coach, policy.years)
            if not due:
                continue
            if dry_run:
                held = sum((holdings_of(d.coachee) for d in due), NOTHING)
            else:
                held = erase_due(due)
                record(
                    AuditEvent.Action.RETENTION_RUN,
                    coach=policy.coach,
                    detail={"coachees": len(due), "trigger": "scheduled", **held.as_dict()},
                )
            self.stdout.write(f"Coach {policy.coach_id}: {verb} {_summary(len(due), held)}.")
            coachees, total = coachees + len(due), total + held
        self.stdout.write(f"Retention: {verb} {_summary(coachees, total)} in all.")
