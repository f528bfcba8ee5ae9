from __future__ import annotations

from django.contrib import admin

from readmit.core.admin import ReadOnlyAdmin
from readmit.screening.models import (
    DuplicateCandidate,
    ScreeningMatch,
    ScreeningRun,
    Watchlist,
    WatchlistVersion,
)


@admin.register(Watchlist)
class WatchlistAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "owner", "source_kind")


@admin.register(WatchlistVersion)
class WatchlistVersionAdmin(ReadOnlyAdmin):
    list_display = ("watchlist", "number", "imported_at", "entry_count")


@admin.register(ScreeningRun)
class ScreeningRunAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "status", "started_at", "finished_at")


@admin.register(ScreeningMatch)
class ScreeningMatchAdmin(ReadOnlyAdmin):
    list_display = ("run", "case", "score", "status")
    list_filter = ("status",)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyAdmin):
    list_display = ("person_a", "person_b", "kind", "status")
