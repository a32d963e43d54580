from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Debrief with waitress (a production-grade WSGI server) on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("DEBRIEF_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=4)

    def _unlock_master_key(self) -> None:
        """A passphrase-locked master key is asked for once, here, before serving."""
        from pathlib import Path

        from debrief.privacy.keystore import KeyError_, is_protected, read_master_file

        path = Path(settings.DATA_DIR) / "master.key"
        if os.environ.get("DEBRIEF_MASTER_KEY_PASSPHRASE") or not path.exists():
            return
        if not is_protected(path.read_text()):
            return
        import getpass

        for _ in range(3):
            os.environ["DEBRIEF_MASTER_KEY_PASSPHRASE"] = getpass.getpass(
                "Passphrase for Debrief's master key: "
            )
            try:
                read_master_file(path)
                return
            except KeyError_ as error:
                self.stderr.write(str(error))
        raise SystemExit("Debrief did not start: the master key stayed locked.")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        self._unlock_master_key()
        from debrief.privacy.checks import key_problems, refusal

        problems = key_problems()  # again, now that a locked master key is open
        if problems:
            self.stderr.write(refusal(problems))
            raise SystemExit(1)

        from debrief.lib.runtime import settle_after_startup
        from debrief.wsgi import application

        settle_after_startup()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            f"Debrief is running at {url}\n"
            f"Data directory: {settings.DATA_DIR}\n"
            "Press Ctrl+C to stop."
        )
        if settings.DEBRIEF_SCHEDULER:
            # Reminders and calendar feeds, in this process: no second service on a laptop.
            # A database lease keeps each job to one run however many processes do this.
            from debrief.jobs.runner import start_scheduler

            start_scheduler()
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="Debrief",
            # Do not log request lines: URLs are opaque codes, but keep logs quiet by default.
            _quiet=True,
        )
