"""Seed the brief's "Coaching session reflection" as the built-in default template, version 1.

The definition is read from a versioned file that never changes: a later change to the
built-in template is a new file and a new migration creating version 2.
"""

import json
from pathlib import Path

from django.db import migrations

DEFINITION = (
    Path(__file__).resolve().parent.parent / "builtin" / "coaching-session-reflection.v1.json"
)


def seed(apps, schema_editor):
    ReflectionTemplate = apps.get_model("prompts", "ReflectionTemplate")
    TemplateVersion = apps.get_model("prompts", "TemplateVersion")
    template, _ = ReflectionTemplate.objects.get_or_create(
        slug="coaching-session-reflection",
        defaults={
            "name": "Coaching session reflection",
            "description": (
                "The full reflection from the coaching brief: plan before the session, then look "
                "back on the session, your own practice, what you learned and what happens next."
            ),
        },
    )
    TemplateVersion.objects.get_or_create(
        template=template, number=1, defaults={"definition": json.loads(DEFINITION.read_text())}
    )


def unseed(apps, schema_editor):
    # Versions are protected while reflections use them; leave them in place.
    pass


class Migration(migrations.Migration):
    dependencies = [("prompts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
