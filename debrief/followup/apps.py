from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "debrief.followup"
    label = "followup"
