from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "debrief.jobs"
    label = "jobs"
    verbose_name = "Scheduled jobs"
