"""Encrypt the transfer plan's medical needs at rest (health data, ADR 0012).

As in cases 0007_crypt_sealed_fields: a new text column is added, every existing row's
value is sealed into it (with the row's id as associated data, under the current key of
READMIT_DATA_KEYS), the old column is dropped and the new one renamed. Going back opens
every value again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

import readmit.core.sealed

BATCH = 500
HELP = '"none" is an answer; empty: not stated.'


def seal_rows(apps: Any, schema_editor: Any) -> None:
    from readmit.core import crypto
    from readmit.core.sealed import keyring

    keys = keyring()
    Model = apps.get_model("relocation", "transferplan")
    table = Model._meta.db_table
    rows = Model.objects.values_list("pk", "medical_needs").order_by("pk")
    for pk, value in rows.iterator(chunk_size=BATCH):
        sealed = crypto.seal(value, context=f"{table}.medical_needs:{pk}", keyring=keys)
        Model.objects.filter(pk=pk).update(medical_needs_sealed=sealed)


def open_rows(apps: Any, schema_editor: Any) -> None:
    from readmit.core import crypto
    from readmit.core.sealed import keyring

    keys = keyring()
    Model = apps.get_model("relocation", "transferplan")
    table = Model._meta.db_table
    rows = Model.objects.values_list("pk", "medical_needs_sealed").order_by("pk")
    for pk, sealed in rows.iterator(chunk_size=BATCH):
        value = crypto.open_sealed(sealed, context=f"{table}.medical_needs:{pk}", keyring=keys)
        Model.objects.filter(pk=pk).update(medical_needs=value)


class Migration(migrations.Migration):
    dependencies = [("relocation", "0005_merge_screenapi_traveldoc")]

    operations = [
        migrations.AddField("transferplan", "medical_needs_sealed", models.TextField(null=True)),
        migrations.RunPython(seal_rows, open_rows),
        # With a default, so that going back can add the old column to existing rows.
        migrations.AlterField(
            "transferplan",
            "medical_needs",
            models.CharField(max_length=1000, blank=True, default="", help_text=HELP),
        ),
        migrations.RemoveField("transferplan", "medical_needs"),
        migrations.RenameField("transferplan", "medical_needs_sealed", "medical_needs"),
        migrations.AlterField(
            "transferplan",
            "medical_needs",
            readmit.core.sealed.SealedField(blank=True, default="", help_text=HELP),
        ),
    ]
