"""Encrypt criminal data, vulnerabilities and readmission particulars at rest (ADR 0012).

Each column is replaced by a text column holding the sealed value: a new column is added,
every existing row's value is sealed into it (with the row's id as associated data, under
the current key of READMIT_DATA_KEYS), the old column is dropped and the new one renamed.
Going back opens every value again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

import readmit.core.sealed

# (model, field, the old column's field, its default)
FIELDS: list[tuple[str, str, Any, Any]] = [
    ("person", "convictions", models.JSONField(default=list, blank=True), list),
    (
        "person",
        "pending_criminal_case",
        models.BooleanField(null=True, blank=True, help_text="None: not known."),
        None,
    ),
    ("person", "vulnerabilities", models.JSONField(default=list, blank=True), list),
    (
        "vulnerabilityassessment",
        "vulnerabilities",
        models.JSONField(default=list, blank=True),
        list,
    ),
    ("vulnerabilityassessment", "note", models.TextField(blank=True, default=""), ""),
    ("readmissionapplication", "particulars", models.JSONField(default=dict, blank=True), dict),
]
HELP = {
    ("person", "convictions"): "[{offence, category, date, country}] as the sending state "
    "reported them.",
    ("person", "pending_criminal_case"): "true, false, or null: not known.",
    ("person", "vulnerabilities"): "e.g. pregnant, unaccompanied_minor, medical, disability, "
    "trafficking_victim.",
    ("vulnerabilityassessment", "vulnerabilities"): "Codes of agreements.vocabularies; empty: "
    "none.",
}
BATCH = 500


def _table(apps: Any, model: str) -> str:
    return str(apps.get_model("cases", model)._meta.db_table)


def seal_rows(apps: Any, schema_editor: Any) -> None:
    from readmit.core import crypto
    from readmit.core.sealed import keyring

    keys = keyring()
    for model, field, _, _ in FIELDS:
        Model = apps.get_model("cases", model)
        table = Model._meta.db_table
        rows = Model.objects.values_list("pk", field).order_by("pk")
        for pk, value in rows.iterator(chunk_size=BATCH):
            sealed = crypto.seal(value, context=f"{table}.{field}:{pk}", keyring=keys)
            Model.objects.filter(pk=pk).update(**{f"{field}_sealed": sealed})


def open_rows(apps: Any, schema_editor: Any) -> None:
    from readmit.core import crypto
    from readmit.core.sealed import keyring

    keys = keyring()
    for model, field, _, _ in FIELDS:
        Model = apps.get_model("cases", model)
        table = Model._meta.db_table
        rows = Model.objects.values_list("pk", f"{field}_sealed").order_by("pk")
        for pk, sealed in rows.iterator(chunk_size=BATCH):
            value = crypto.open_sealed(sealed, context=f"{table}.{field}:{pk}", keyring=keys)
            Model.objects.filter(pk=pk).update(**{field: value})


def _operations() -> list[Any]:
    add = [
        migrations.AddField(model, f"{field}_sealed", models.TextField(null=True))
        for model, field, _, _ in FIELDS
    ]
    swap: list[Any] = []
    for model, field, old, default in FIELDS:
        swap += [
            # With a default, so that going back can add the old column to existing rows.
            migrations.AlterField(model, field, old),
            migrations.RemoveField(model, field),
            migrations.RenameField(model, f"{field}_sealed", field),
            migrations.AlterField(
                model,
                field,
                readmit.core.sealed.SealedField(
                    blank=True, default=default, help_text=HELP.get((model, field), "")
                ),
            ),
        ]
    return [*add, migrations.RunPython(seal_rows, open_rows), *swap]


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_merge_intake_traveldoc")]

    operations = _operations()
