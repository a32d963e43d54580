from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from debrief.lib.env import ConfigError, env_ip, env_port

# The headers a trusted proxy sets: the visitor's address and whether they came over HTTPS.
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto"}


def _address(options: dict[str, Any]) -> tuple[str, int]:
    """--host/--port, else DEBRIEF_HOST/PORT, read strictly: a typo stops start-up here."""
    try:
        host = options["host"] or env_ip("DEBRIEF_HOST") or "127.0.0.1"
        port = options["port"] or env_port("PORT", 8000)
    except ConfigError as error:
        raise CommandError(str(error)) from None
    return host, port


def proxy_options() -> dict[str, Any]:
    """What waitress needs to believe the reverse proxy (and nobody else) about the visitor."""
    if not settings.DEBRIEF_TRUSTED_PROXY:
        if settings.PRODUCTION:
            raise CommandError(
                "DEBRIEF_ENV=production serves HTTPS through a reverse proxy, but "
                "DEBRIEF_TRUSTED_PROXY is not set, so every request would look like plain HTTP "
                "from the proxy's address (an endless redirect). Set DEBRIEF_TRUSTED_PROXY to "
                "the address the proxy connects from, usually 127.0.0.1 (docs/deployment.md)."
            )
        return {}
    return {
        "trusted_proxy": settings.DEBRIEF_TRUSTED_PROXY,
        "trusted_proxy_count": settings.DEBRIEF_TRUSTED_PROXY_COUNT,
        "trusted_proxy_headers": PROXY_HEADERS,
        "clear_untrusted_proxy_headers": True,
    }


# Waitress keeps a request's body, and a response's output not yet sent, in memory only up to
# a size (512 KB and 1 MB by default) and in a temporary file past it: a journal being imported
# or a dossier on its way to a slow connection would be coachee text in the clear on disk. So a
# body is held in memory up to the largest upload Debrief takes (anything larger is refused
# with 413 before it is read), and a streamed download waits for the client once 4 MB are
# pending, well below the size at which waitress would spill it.
STREAM_PENDING_BYTES = 4 * 1024 * 1024
OUTPUT_IN_MEMORY_BYTES = 64 * 1024 * 1024  # the most one response is ever held whole


def buffer_options() -> dict[str, int]:
    """Waitress's buffer sizes, so that neither a request nor a response spills to disk."""
    from debrief.portable.format import MAX_BYTES  # the journal: the largest upload there is

    largest_body = MAX_BYTES + 1024 * 1024  # the form's other fields and its multipart framing
    return {
        "max_request_body_size": largest_body,
        "inbuf_overflow": largest_body,
        "outbuf_high_watermark": STREAM_PENDING_BYTES,
        "outbuf_overflow": OUTPUT_IN_MEMORY_BYTES,
    }


class Command(BaseCommand):
    help = "Serve Debrief with waitress (a production-grade WSGI server) on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        # Defaults from DEBRIEF_HOST and PORT, read in handle() so a bad value gets a message.
        parser.add_argument("--host", default="")
        parser.add_argument("--port", type=int, default=0)
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

        host, port = _address(options)
        proxy = proxy_options()
        self._unlock_master_key()
        from debrief.privacy.checks import key_problems, refusal

        problems = key_problems()  # again, now that a locked master key is open
        if problems:
            self.stderr.write(refusal(problems))
            raise SystemExit(1)

        from debrief.jobs import statistics
        from debrief.wsgi import application

        # SQLite's planner statistics, before the first page (PostgreSQL keeps its own).
        statistics.refresh()

        url = f"http://{host}:{port}/"
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
            host=host,
            port=port,
            threads=options["threads"],
            **proxy,
            **buffer_options(),
            ident="Debrief",
            # Do not log request lines: URLs are opaque codes, but keep logs quiet by default.
            _quiet=True,
        )
