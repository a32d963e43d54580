from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "debrief.journal"
    label = "journal"

    def ready(self) -> None:
        from debrief.journal.answers import register_kinds

        register_kinds()
