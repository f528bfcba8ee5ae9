"""Encrypt identity document numbers at rest and index them blindly (ADR 0012).

The number moves to a sealed text column (the row id as associated data); ``number_index``
holds the HMAC of the normalised number under READMIT_BLIND_INDEX_KEY, which the duplicate
finder groups by. Going back opens every number again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

import readmit.core.sealed

BATCH = 500


def seal_numbers(apps: Any, schema_editor: Any) -> None:
    from readmit.core import crypto
    from readmit.core.sealed import DocumentNumberIndexField, keyring

    keys = keyring()
    Document = apps.get_model("cases", "identitydocument")
    table = Document._meta.db_table
    rows = Document.objects.values_list("pk", "number").order_by("pk")
    for pk, number in rows.iterator(chunk_size=BATCH):
        Document.objects.filter(pk=pk).update(
            number_sealed=crypto.seal(number, context=f"{table}.number:{pk}", keyring=keys),
            number_index=DocumentNumberIndexField.index_of(number),
        )


def open_numbers(apps: Any, schema_editor: Any) -> None:
    from readmit.core import crypto
    from readmit.core.sealed import keyring

    keys = keyring()
    Document = apps.get_model("cases", "identitydocument")
    table = Document._meta.db_table
    rows = Document.objects.values_list("pk", "number_sealed").order_by("pk")
    for pk, sealed in rows.iterator(chunk_size=BATCH):
        number = crypto.open_sealed(sealed, context=f"{table}.number:{pk}", keyring=keys)
        Document.objects.filter(pk=pk).update(number=number)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_crypt_sealed_fields")]

    operations = [
        migrations.AddField("identitydocument", "number_sealed", models.TextField(null=True)),
        migrations.AddField(
            "identitydocument",
            "number_index",
            readmit.core.sealed.DocumentNumberIndexField(default="", source="number"),
        ),
        migrations.RunPython(seal_numbers, open_numbers),
        migrations.RemoveIndex("identitydocument", "cases_ident_type_01445e_idx"),
        # With a default, so that going back can add the old column to existing rows.
        migrations.AlterField(
            "identitydocument", "number", models.CharField(max_length=40, default="")
        ),
        migrations.RemoveField("identitydocument", "number"),
        migrations.RenameField("identitydocument", "number_sealed", "number"),
        migrations.AlterField(
            "identitydocument",
            "number",
            readmit.core.sealed.SealedField(
                help_text="As written on the document (at most 40 characters)."
            ),
        ),
        migrations.AlterField(
            "identitydocument",
            "number_index",
            readmit.core.sealed.DocumentNumberIndexField(source="number"),
        ),
        migrations.AddIndex(
            "identitydocument",
            models.Index(
                fields=["type", "number_index", "issuing_country"], name="cases_document_blind"
            ),
        ),
    ]
