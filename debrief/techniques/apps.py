from django.apps import AppConfig


class TechniquesConfig(AppConfig):
    name = "debrief.techniques"
    label = "techniques"
    verbose_name = "Coaching techniques"
