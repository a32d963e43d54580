from django.apps import AppConfig


class PromptsConfig(AppConfig):
    name = "debrief.prompts"
    label = "prompts"
    verbose_name = "Reflection templates"
