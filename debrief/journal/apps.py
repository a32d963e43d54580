from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "debrief.journal"
    label = "journal"

    def ready(self) -> None:
        from debrief.journal.answers import register_kinds
        from debrief.journal.models import Reflection
        from debrief.privacy import owners

        register_kinds()
        # A reflection's notes are sealed with its session's coachee's key.
        owners.reads(
            "reflection",
            lambda pk: Reflection.objects.values_list("session__coachee__code", flat=True).get(
                pk=pk
            ),
        )
