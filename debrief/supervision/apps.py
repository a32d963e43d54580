from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "debrief.supervision"
    label = "supervision"
    verbose_name = "Supervision inside the firm: what a coach shares with a supervisor"
