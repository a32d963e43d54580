from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "debrief.exports"
    label = "exports"
    verbose_name = "Exports: PDF, Markdown and the supervision pack"
