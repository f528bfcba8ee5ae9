"""Read-only admin views for support staff: every change goes through the services."""

from __future__ import annotations

from django.contrib import admin

from readmit.core.admin import ReadOnlyAdmin
from readmit.relocation.models import (
    CriteriaEvaluation,
    LegalHold,
    ProposalList,
    ReceptionStay,
    TransferPlan,
)


@admin.register(ProposalList)
class ProposalListAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "agreement",
        "source",
        "row_count",
        "imported_count",
        "submitted_at",
    )
    list_filter = ("source",)


@admin.register(CriteriaEvaluation)
class CriteriaEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("case", "outcome", "trigger", "terms_version", "evaluated_at")
    list_filter = ("outcome", "trigger")


@admin.register(TransferPlan)
class TransferPlanAdmin(ReadOnlyAdmin):
    list_display = ("case", "planned_for", "urgent", "notice_language")


@admin.register(ReceptionStay)
class ReceptionStayAdmin(ReadOnlyAdmin):
    list_display = ("case", "site", "arrived_at", "max_end", "ended_at", "outcome")
    list_filter = ("outcome",)


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "reference", "placed_at", "lifted_at")
    list_filter = ("kind",)
