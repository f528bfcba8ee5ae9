"""Stored terms name offence categories by ICCS code.

Agreements and their versions written before the vocabulary named categories in words
("violent", "sexual", ...). This rewrites them as the ICCS level-1 section codes they meant
(the same table as ``vocabularies.LEGACY_CATEGORY_WORDS``, frozen here), and spells out
``free_text_categories: false``, as validating the terms writes them. A word with no
code is left as it is: reading the terms then refuses it, naming it, so an administrator
sees it rather than a rule that silently counts nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CODES = {f"{n:02d}" for n in range(1, 12)}
WORDS = {
    "violent": ("01", "02", "04"),
    "violence": ("01", "02", "04"),
    "homicide": ("01",),
    "sexual": ("03",),
    "robbery": ("04",),
    "property": ("05",),
    "theft": ("05",),
    "drug": ("06",),
    "drugs": ("06",),
    "fraud": ("07",),
    "public_order": ("08",),
    "terrorism": ("09",),
    "organised_crime": ("09",),
    "traffic": ("09",),
    "trafficking": ("02",),
    "environment": ("10",),
    "other": ("11",),
}


def _codes(categories: list[Any]) -> list[Any]:
    codes: list[Any] = []
    for value in categories:
        text = str(value).strip().lower()
        mapped = (text,) if text in CODES else WORDS.get(text, (value,))
        codes.extend(c for c in mapped if c not in codes)
    return sorted(codes, key=str)


def _rewrite(terms: Any) -> bool:
    """Codes for words, and the new setting spelt out as validation writes it (so the next
    amendment's diff shows only what the amendment changes)."""
    changed = False
    for criterion in (terms or {}).get("criteria") or []:
        if criterion.get("rule") != "no_conviction_within_years":
            continue
        params = criterion.setdefault("params", {})
        codes = _codes(params.get("categories") or [])
        if codes != params.get("categories") or "free_text_categories" not in params:
            params["categories"] = codes
            params.setdefault("free_text_categories", False)
            changed = True
    return changed


def forwards(apps: Any, schema_editor: Any) -> None:
    for name in ("Agreement", "AgreementVersion"):
        model = apps.get_model("agreements", name)
        for row in model.objects.all().only("id", "terms"):
            if _rewrite(row.terms):
                row.save(update_fields=["terms"])


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_versions_and_status_history"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
