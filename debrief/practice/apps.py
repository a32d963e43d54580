from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "debrief.practice"
    label = "practice"
    verbose_name = "Practice and accreditation"
