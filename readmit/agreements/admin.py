from __future__ import annotations

from django.contrib import admin

from readmit.agreements.models import Agreement, AgreementParty, Site
from readmit.core.admin import ReadOnlyAdmin


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "kind", "status", "in_force_from")
    list_filter = ("kind", "status")


@admin.register(AgreementParty)
class AgreementPartyAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "organisation", "side")


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ("name", "agreement", "capacity")
