from django.apps import AppConfig


class IcflogConfig(AppConfig):
    name = "debrief.icflog"
    label = "icflog"
    verbose_name = "ICF coaching log"
