"""Drop ``sending_state_pays`` from stored terms: no rule read it (issue #8, finding 9).

Costs between the parties are a later issue; a setting that is shown must be enforced, so
it leaves the terms, the pages and the docs until something applies it.
"""

from typing import Any

from django.db import migrations

DROPPED = "sending_state_pays"


def drop_setting(apps: Any, schema_editor: Any) -> None:
    for name in ("Agreement", "AgreementVersion"):
        model = apps.get_model("agreements", name)
        for row in model.objects.all().only("id", "terms"):
            if isinstance(row.terms, dict) and DROPPED in row.terms:
                row.terms = {k: v for k, v in row.terms.items() if k != DROPPED}
                row.save(update_fields=["terms"])


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_versions_and_status_history"),
    ]

    operations = [migrations.RunPython(drop_setting, migrations.RunPython.noop)]
