from __future__ import annotations

from django.contrib import admin

from readmit.cases.models import Case, Person
from readmit.core.admin import ReadOnlyAdmin


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("reference", "kind", "state", "legal_hold", "agreement")
    list_filter = ("kind", "state", "legal_hold")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("family_name", "given_names", "family_name_latin", "birth_year", "sex")
