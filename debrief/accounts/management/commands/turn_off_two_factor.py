from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from debrief.audit.log import record
from debrief.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Turn off two-factor authentication for a coach who has lost both their phone and "
        "their recovery codes. They sign in with their password alone and can set it up again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the email address the coach signs in with")

    def handle(self, *args: Any, **options: Any) -> None:
        coach = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if coach is None:
            raise CommandError(
                f"No coach signs in with {options['email']}. Check the address and try again."
            )
        deleted, _ = Authenticator.objects.filter(user=coach).delete()
        if not deleted:
            self.stdout.write(f"{coach.email} does not use two-factor authentication.")
            return
        record(
            AuditEvent.Action.MFA_REMOVED,
            coach=coach,
            detail={"reason": "turned off from the command line"},
        )
        self.stdout.write(
            f"Two-factor authentication is off for {coach.email}. They can sign in with their "
            "password and set it up again on the Security page."
        )
