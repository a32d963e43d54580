from django.apps import AppConfig


class PortableConfig(AppConfig):
    name = "debrief.portable"
    label = "portable"
    verbose_name = "A journal that moves, and past sessions from a spreadsheet"
