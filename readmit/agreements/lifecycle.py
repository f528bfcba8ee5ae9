"""The agreement lifecycle as a transition table. Pure Python (no Django import).

    approached → negotiating → signed → in_force ⇄ suspended
    every status that is not final → ended

``ended`` can be reached from every other status: talks stop (approached, negotiating), a
signed text is never ratified (signed), a party denounces it (in_force), or it is
terminated while suspended. Nothing leaves ``ended``. The service
``agreement_set_status`` consults this table before it locks anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from readmit.core.errors import N_, Term, TransitionRefused


class Status(StrEnum):
    """The same values as ``AgreementStatus`` (the Django choices), without Django."""

    APPROACHED = "approached"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    ENDED = "ended"


TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.APPROACHED: frozenset({Status.NEGOTIATING, Status.ENDED}),
    Status.NEGOTIATING: frozenset({Status.SIGNED, Status.ENDED}),
    Status.SIGNED: frozenset({Status.IN_FORCE, Status.ENDED}),
    Status.IN_FORCE: frozenset({Status.SUSPENDED, Status.ENDED}),
    Status.SUSPENDED: frozenset({Status.IN_FORCE, Status.ENDED}),
    Status.ENDED: frozenset(),
}

FINAL: frozenset[Status] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# An agreement in these statuses binds both parties: it ends only by a notice of termination
# that takes effect after the agreement's notice period (``termination_notice_give``).
ENDS_BY_NOTICE: frozenset[Status] = frozenset({Status.IN_FORCE, Status.SUSPENDED})

# Entering these statuses needs a reason: a suspension or an end must be explained.
NEEDS_REASON: frozenset[Status] = frozenset({Status.SUSPENDED, Status.ENDED})


def allowed_next(current: str) -> frozenset[Status]:
    """The statuses an agreement in ``current`` may move to (empty for an unknown status)."""
    try:
        return TRANSITIONS[Status(current)]
    except ValueError:
        return frozenset()


def check_status_change(current: str, target: str) -> Status:
    """The target status if the table allows the move; otherwise one clear refusal."""
    try:
        wanted = Status(target)
    except ValueError:
        raise TransitionRefused(
            N_("'%(target)s' is not an agreement status; known statuses: %(known)s."),
            params={"target": target, "known": ", ".join(s.value for s in Status)},
            rule="agreement-lifecycle",
        ) from None
    allowed = allowed_next(current)
    if wanted not in allowed:
        params = {"current": Term(current), "wanted": Term(wanted.value)}
        if not allowed:
            raise TransitionRefused(
                N_(
                    "An agreement that is '%(current)s' cannot become '%(wanted)s'; "
                    "it is final: nothing follows it."
                ),
                params=params,
                rule="agreement-lifecycle",
            )
        raise TransitionRefused(
            N_(
                "An agreement that is '%(current)s' cannot become '%(wanted)s'; "
                "from there it can only move to: %(allowed)s."
            ),
            params={**params, "allowed": ", ".join(sorted(allowed))},
            rule="agreement-lifecycle",
        )

    return wanted


def date_field_set_on_entry(current: str, target: str) -> str | None:
    """Which date field entering ``target`` records, if any.

    Resuming from a suspension does not move ``in_force_from``: quota periods count from
    the first entry into force.
    """
    if target == Status.SIGNED:
        return "signed_on"
    if target == Status.IN_FORCE and current != Status.SUSPENDED:
        return "in_force_from"
    if target == Status.ENDED:
        return "ends_on"
    return None
