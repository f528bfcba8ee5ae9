"""The system as a named actor: background tasks, imports, timers, the command line.

Every write names who did it. A person is a ``User``; everything that runs without a person
(a sweep, a timer, the demo loader, an operator's command on the server) is a
:class:`SystemActor` naming its task. Services take it explicitly (``acting_user=``, never a
default), its audit rows read ``system: <task>``, and the few gates a person must pass let the
system through only for the actions its task lists in :data:`SYSTEM_TASKS`. No actor at all
(``None``) is refused by those gates. Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from typing_extensions import TypeIs

from readmit.core.errors import N_, Forbidden


class SystemAction(StrEnum):
    """The gated actions a system task may be allowed (everything else a service does needs
    no role, only an actor to name in the audit row)."""

    AGREEMENT_RECORD = "agreement.record"
    WATCHLIST_CREATE = "watchlist.create"
    WATCHLIST_IMPORT = "watchlist.import"
    DISTRICT_SET = "district.set"
    TOKEN_REVOKE = "token.revoke"
    TOKEN_ROTATE = "token.rotate"


_NONE: frozenset[SystemAction] = frozenset()

# Every task that acts without a person, and the gated actions it may take.
SYSTEM_TASKS: dict[str, frozenset[SystemAction]] = {
    "command line": frozenset(
        {
            SystemAction.TOKEN_REVOKE,
            SystemAction.TOKEN_ROTATE,
            SystemAction.WATCHLIST_CREATE,
            SystemAction.WATCHLIST_IMPORT,
        }
    ),
    "demo loader": frozenset(
        {
            SystemAction.AGREEMENT_RECORD,
            SystemAction.WATCHLIST_CREATE,
            SystemAction.WATCHLIST_IMPORT,
            SystemAction.DISTRICT_SET,
        }
    ),
    "agreement notices": _NONE,
    "terms refresh": _NONE,
    "audit checkpoint": _NONE,
    "criteria refresh": _NONE,
    "data key rotation": _NONE,
    "deadline notifications": _NONE,
    "deadline sweep": _NONE,
    "list import": _NONE,
    "reception stays": _NONE,
    "retention sweep": _NONE,
    "screening run": _NONE,
    "task recovery": _NONE,
}


@dataclass(frozen=True)
class SystemActor:
    """The system acting for ``task`` (one of :data:`SYSTEM_TASKS`)."""

    task: str
    # Like a user's primary key in the audit row: the system has none.
    pk: ClassVar[None] = None

    def __post_init__(self) -> None:
        if self.task not in SYSTEM_TASKS:
            raise ValueError(f"unknown system task {self.task!r}: list it in SYSTEM_TASKS")

    def get_username(self) -> str:
        return f"system: {self.task}"

    @property
    def permitted(self) -> frozenset[SystemAction]:
        return SYSTEM_TASKS[self.task]


def acts_as_system(actor: object, action: SystemAction) -> TypeIs[SystemActor]:
    """Whether ``actor`` is the system, allowed ``action`` (the caller then skips the gate a
    person passes). The system doing what its task does not list, and no actor at all, are
    refused; any other actor is a person: False, and the caller checks their roles."""
    if actor is None:
        raise Forbidden(N_("No actor: every change names who makes it."), type="wrong-role")
    if isinstance(actor, SystemActor):
        if action not in actor.permitted:
            raise Forbidden(
                N_("The system task '%(task)s' may not %(action)s."),
                params={"task": actor.task, "action": str(action)},
                type="wrong-role",
            )
        return True
    return False
