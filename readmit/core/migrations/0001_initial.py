from __future__ import annotations

from django.db import migrations, models


def load_countries(apps, schema_editor):  # type: ignore[no-untyped-def]
    from readmit.core.countries import all_countries

    Country = apps.get_model("core", "Country")
    Country.objects.bulk_create(
        [Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
         for c in all_countries()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Country",
            fields=[
                ("code", models.CharField(max_length=3, primary_key=True, serialize=False)),
                ("alpha3", models.CharField(max_length=3, unique=True)),
                ("name", models.CharField(max_length=120)),
                ("user_assigned", models.BooleanField(default=False, help_text="Not in ISO 3166-1 itself (Kosovo, ICAO special codes).")),
            ],
            options={"ordering": ["name"], "verbose_name_plural": "countries"},
        ),
        migrations.RunPython(load_countries, migrations.RunPython.noop),
    ]
