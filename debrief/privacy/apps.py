from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "debrief.privacy"
    label = "privacy"
