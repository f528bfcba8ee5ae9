"""Roles a member of an organisation can hold. Pure Python: the workflow table uses them."""

from __future__ import annotations

from enum import StrEnum

from readmit.core.errors import N_


class Role(StrEnum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    LIAISON = "liaison"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return {
            "caseworker": N_("Caseworker"),
            "supervisor": N_("Supervisor"),
            "liaison": N_("Liaison officer"),
            "auditor": N_("Auditor"),
            "administrator": N_("Administrator"),
        }[self.value]


# Who may read case files at all: administrators manage users, not cases.
CASE_READERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.LIAISON, Role.AUDITOR})
# Who may change case files (each transition narrows this further).
CASE_WRITERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.LIAISON})
# Who may read dashboards: those who read case files (the figures are counts over them).
DASHBOARD_READERS = CASE_READERS
