from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "debrief.api"
    label = "api"
    verbose_name = "API"
