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

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from debrief.wsgi import application

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            f"Debrief is running at {url}\n"
            f"Data directory: {settings.DATA_DIR}\n"
            "Press Ctrl+C to stop."
        )
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="Debrief",
            # Do not log request lines: URLs are opaque codes, but keep logs quiet by default.
            _quiet=True,
        )
