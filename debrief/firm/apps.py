from django.apps import AppConfig


class FirmConfig(AppConfig):
    name = "debrief.firm"
    label = "firm"
    verbose_name = "Firm"

    def ready(self) -> None:
        from debrief.firm import roles

        roles.connect()
