from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "debrief.reminders"
    label = "reminders"
    verbose_name = "Reminders"
