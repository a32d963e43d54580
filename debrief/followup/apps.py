from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "debrief.followup"
    label = "followup"

    def ready(self) -> None:
        from debrief.followup import answers  # noqa: F401  registers the followup answer kinds
