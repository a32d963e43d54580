from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "debrief.diary"
    label = "diary"
    verbose_name = "Calendar"
