"""List the stored values that do not open; ``--purge`` removes them (audited)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from debrief.privacy.fields import KEY_MISSING
from debrief.privacy.unopenable import Finding, find


class Command(BaseCommand):
    help = (
        "List every stored note that cannot be opened (model, id, field, coachee code, reason; "
        "never its content). --purge removes them: each such value is emptied, and a coachee "
        "whose own data key is missing is erased with everything about them. Audited."
    )
    # It must run when start-up refuses because of these very records.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--purge", action="store_true", help="remove what does not open")

    def handle(self, *args: Any, purge: bool = False, **options: Any) -> None:
        findings = find()
        for f in findings:
            self.stdout.write(
                f"{f.model._meta.label}\t{f.pk}\t{f.field}\t{f.coachee or '-'}\t{f.reason}"
            )
        if not findings:
            self.stdout.write("Every stored note opens.")
            return
        if not purge:
            self.stdout.write(
                f"{len(findings)} value(s) cannot be opened. If their keys are lost for good "
                "(or these coachees were erased after the backup this database came from), "
                "run `python manage.py unopenable --purge` to remove them."
            )
            return
        erased, emptied = _purge(findings)
        self.stdout.write(
            f"Removed {emptied} value(s) that could not be opened and erased {erased} "
            "coachee(s) whose data key is missing."
        )


def _is_lost_coachee(f: Finding) -> bool:
    return f.model._meta.label == "coachees.Coachee" and f.reason == KEY_MISSING


def _purge(findings: list[Finding]) -> tuple[int, int]:
    from debrief.audit.log import record
    from debrief.audit.models import AuditEvent
    from debrief.coachees.models import Coachee
    from debrief.exchange.erasure import erase_coachee

    lost = {f.pk for f in findings if _is_lost_coachee(f)}
    for coachee in Coachee.objects.filter(pk__in=lost).select_related("coach"):
        erase_coachee(coachee, reason="data key missing")
    per_coach: dict[int | None, Counter[str]] = defaultdict(Counter)
    with transaction.atomic():
        for f in findings:
            if f.pk in lost and f.model is Coachee:
                continue
            # What the coachee's erasure took with it is gone already: update() counts 0.
            if f.model._base_manager.filter(pk=f.pk).update(**{f.field: ""}):
                per_coach[f.coach_id][f.label] += 1
        for coach_id, counts in per_coach.items():
            record(
                AuditEvent.Action.UNOPENABLE_PURGED,
                coach=_coach(coach_id),
                detail={"removed": dict(counts)},
            )
    return len(lost), sum(sum(c.values()) for c in per_coach.values())


def _coach(coach_id: int | None) -> Any:
    from debrief.accounts.models import User

    return User.objects.filter(pk=coach_id).first() if coach_id else None
