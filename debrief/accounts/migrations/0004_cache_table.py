"""The database cache's table (settings.CACHES), made by `migrate` so no extra command is needed.

The cache holds rate-limit counters only; every server process reads the same table.
"""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS debrief_cache")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_one_first_account")]

    operations = [migrations.RunPython(create, drop)]
