from django.apps import AppConfig


class CliConfig(AppConfig):
    """The commands that run the product or span apps: `serve`, `demo`, `unopenable`."""

    name = "debrief.cli"
    label = "cli"
