"""No change to any table: marks where sealed values began to be written as ``v2``.

From here on the database holds ``v2.<key>.<base64>`` values (``lib/sealing.py``), which a
Debrief from before cannot open. A backup carries the migrations its database had, and a
restore refuses a backup with a migration it does not know (``backup/restore.py``): so a backup
made from now on is refused by an older Debrief with "made by a newer version", rather than
restored into notes that all read "This note cannot be opened". Values written before stay
``v1`` and are read forever.
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_memory_generation")]

    operations: list[migrations.operations.base.Operation] = []
