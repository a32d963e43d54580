from django.apps import AppConfig


class CoacheesConfig(AppConfig):
    name = "debrief.coachees"
    label = "coachees"
