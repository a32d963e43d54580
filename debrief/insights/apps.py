from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "debrief.insights"
    label = "insights"
