#!/usr/bin/env python
"""Django's command-line utility for Debrief."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debrief.settings")
    from django.core.management import execute_from_command_line

    from debrief.lib.env import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as error:
        # A bad setting is the operator's to fix: say which and how, without a traceback.
        sys.exit(f"Debrief did not start: {error}")
