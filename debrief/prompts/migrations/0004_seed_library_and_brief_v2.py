"""Seed the library of built-in templates and version 2 of the brief's template.

Version 2 asks for techniques as data (each technique ticked and rated) and adds goal
progress; reflections already written stay on version 1, whose file never changes.
"""

from django.db import migrations

from debrief.prompts.builtin import seed as seed_builtin


def seed(apps, schema_editor):
    seed_builtin(
        apps.get_model("prompts", "ReflectionTemplate"),
        apps.get_model("prompts", "TemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("prompts", "0003_template_retired")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
