from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "debrief.insights"
    label = "insights"

    def ready(self) -> None:
        from debrief.insights import receivers  # noqa: F401 (connects the signal receivers)
