"""Hours before Debrief per client, as the ICF's log has them.

An account's one balance from before stays as it was: a row of clients not listed by name
(no name or contact), with the same hours and number of clients.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import debrief.privacy.fields


def _give_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    OpeningBalance = apps.get_model("icflog", "OpeningBalance")
    for row in OpeningBalance.objects.all().only("pk"):
        OpeningBalance.objects.filter(pk=row.pk).update(code=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("icflog", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="openingbalance",
            name="coach",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="icf_opening_balances",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="code",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(_give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="openingbalance",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="client",
            field=debrief.privacy.fields.PrivateTextField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="contact",
            field=debrief.privacy.fields.PrivateTextField(blank=True, default="", max_length=500),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="group",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="group_size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="first",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="openingbalance",
            name="last",
            field=models.DateField(blank=True, null=True),
        ),
    ]
