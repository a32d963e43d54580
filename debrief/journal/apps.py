from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "debrief.journal"
    label = "journal"
