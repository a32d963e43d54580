from django.db import migrations


def seed(apps, schema_editor):
    from debrief.techniques import builtin

    builtin.seed(apps.get_model("techniques", "Technique"))


class Migration(migrations.Migration):
    dependencies = [("techniques", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
