from django.apps import AppConfig


class TechniquesConfig(AppConfig):
    name = "debrief.techniques"
    label = "techniques"
    verbose_name = "Coaching techniques"

    def ready(self) -> None:
        from debrief.techniques import answers  # noqa: F401  registers the techniques answer kinds
