"""`manage.py demo`: a believable practice to look around in, with a fresh password each run."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from debrief.accounts.models import User

DEMO_EMAIL = "demo@debrief.local"
# No 0/o, 1/l/i: the password is read off a terminal and typed in by hand.
LEGIBLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password() -> str:
    groups = ("".join(secrets.choice(LEGIBLE_CHARACTERS) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


class Command(BaseCommand):
    help = (
        "Fill a fresh data directory with a demo practice (4 coachees, about 25 sessions over "
        "the last 5 months) and print the password for demo@debrief.local. Run again to get "
        "a new password; the practice is not created twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2025, help="Same seed, same practice.")
        parser.add_argument("--sessions", type=int, default=26, help="How many sessions.")
        parser.add_argument(
            "--coachees", type=int, default=4, help="How many coachees; past 4 they are generated."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = new_password()
        demo = User.objects.filter(email=DEMO_EMAIL).first()
        if demo is not None:
            demo.set_password(password)
            demo.save(update_fields=["password"])
            self.stdout.write(
                f"The demo practice is already there ({demo.coachees.count()} coachees, "
                f"{demo.coaching_sessions.count()} sessions); it was left as it is.\n"
                "A new password was set."
            )
        else:
            self._create(password, options)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Sign in as {DEMO_EMAIL} with password {password}"))

    def _create(self, password: str, options: dict[str, Any]) -> None:
        if User.objects.exists():
            raise CommandError(
                "This data directory already holds someone's journal, so the demo was not "
                "added to it. Run `make demo`, which uses a separate data directory, or set "
                "DEBRIEF_DATA_DIR to an empty directory first."
            )
        if options["sessions"] < 0 or options["coachees"] < 1:
            raise CommandError("Use --coachees 1 or more and --sessions 0 or more.")
        # Imported here: the phrase pools are large and `--help` should stay instant.
        from debrief.demo.accreditation import add_accreditation
        from debrief.demo.practice import create_practice

        with transaction.atomic():
            coach = User.objects.create_user(
                email=DEMO_EMAIL, password=password, display_name="Demo Coach"
            )
            # As the sign-up page leaves it: the address recorded, not verified.
            EmailAddress.objects.create(user=coach, email=coach.email, primary=True)
            summary = create_practice(
                coach,
                sessions=options["sessions"],
                coachees=options["coachees"],
                seed=options["seed"],
                today=timezone.localdate(),
            )
            records = add_accreditation(coach, timezone.localdate())
            # The demo coach has used Debrief all along: its sessions are not back-filled
            # on a first day (the reflection habit would leave out the late ones).
            first = coach.coaching_sessions.order_by("date").values_list("date", flat=True).first()
            if first is not None:
                joined = datetime.combine(first - timedelta(days=7), time(9, 0))
                coach.date_joined = timezone.make_aware(joined)
                coach.save(update_fields=["date_joined"])
        self.stdout.write(
            f"Created a demo practice: {summary.coachees} coachees, {summary.sessions} "
            f"sessions, {summary.actions} action items, {summary.goals} goals and "
            f"{summary.technique_uses} technique uses; {records} supervision, mentor coaching, "
            "CPD and feedback records."
        )
