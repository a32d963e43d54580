"""Seed the brief's "Coaching session reflection" as the built-in default template, version 1.

The definition is read from a versioned file that never changes: a later change to the
built-in template is a new file and a new migration creating version 2.
"""

from django.db import migrations

from debrief.prompts.builtin import seed as seed_builtin


def seed(apps, schema_editor):
    seed_builtin(
        apps.get_model("prompts", "ReflectionTemplate"),
        apps.get_model("prompts", "TemplateVersion"),
    )


def unseed(apps, schema_editor):
    # Versions are protected while reflections use them; leave them in place.
    pass


class Migration(migrations.Migration):
    dependencies = [("prompts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
