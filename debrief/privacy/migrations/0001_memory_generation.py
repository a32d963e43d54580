from __future__ import annotations

from typing import Any

from django.db import migrations, models


def _first_row(apps: Any, schema_editor: Any) -> None:
    apps.get_model("privacy", "MemoryGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="MemoryGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(_first_row, migrations.RunPython.noop),
    ]
