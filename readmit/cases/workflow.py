"""The transition tables: which action moves a case from which state to which, and who acts.

Pure Python (no Django): the services consult it, the API lists ``allowed_actions`` from it,
and its tests enumerate every state × action pair. Rules that need data (quota, capacity,
exclusions, deadlines) are checked by the services; this table holds only what the state and
the caller's side, roles and legal hold decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from readmit.accounts.roles import Role
from readmit.core.errors import N_, Forbidden, Term, TransitionRefused


class Side(StrEnum):
    SENDING = "sending"
    RECEIVING = "receiving"


class RelocationState(StrEnum):
    """The states of a relocation case (USA → Kosovo), in the order of the table."""

    PROPOSED = "proposed"
    RECOMMENDED = "recommended"
    SELECTED = "selected"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    TRANSFER_SCHEDULED = "transfer_scheduled"
    IN_RECEPTION = "in_reception"
    DEPARTED = "departed"
    CLOSED = "closed"


class ReceptionState(StrEnum):
    """The states of a reception case (Italy → Albania)."""

    PROPOSED = "proposed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    TRANSFER_SCHEDULED = "transfer_scheduled"
    IN_RECEPTION = "in_reception"
    DEPARTED = "departed"
    CLOSED = "closed"


class ReadmissionState(StrEnum):
    """The states of a readmission case (USA → Montenegro)."""

    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    INTERVIEW_REQUESTED = "interview_requested"
    ACCEPTED = "accepted"
    DEEMED_ACCEPTED = "deemed_accepted"
    REJECTED = "rejected"
    TRAVEL_DOCUMENT_ISSUED = "travel_document_issued"
    TRANSFER_SCHEDULED = "transfer_scheduled"
    TRANSFERRED = "transferred"
    TAKE_BACK_DUE = "take_back_due"
    TAKEN_BACK = "taken_back"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


ANY_SIDE = frozenset(Side)
WORKERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
WORKERS_AND_LIAISON = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.LIAISON})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (legal holds, extensions)
    sides: frozenset[Side]
    roles: frozenset[Role]
    transfer_related: bool = False  # blocked while a legal hold is in place (removal)
    needs_reason: bool = False
    # "place" or "lift": the transition records or lifts one hold (several may stand; who may
    # lift which is decided by ``readmit.relocation.holds``)
    hold: str = ""

    def next_state(self, current: str) -> str:
        return self.target if self.target is not None else current


@dataclass(frozen=True)
class Workflow:
    kind: str
    states: tuple[str, ...]
    initial: str
    final: frozenset[str]
    transitions: tuple[Transition, ...]

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(t.action for t in self.transitions)

    def get(self, action: str) -> Transition:
        for transition in self.transitions:
            if transition.action == action:
                return transition
        raise TransitionRefused(
            N_("'%(action)s' is not an action of a %(kind)s case; known actions: %(known)s."),
            params={"action": action, "kind": Term(self.kind), "known": ", ".join(self.actions)},
            rule="unknown-action",
        )

    def check(
        self,
        *,
        state: str,
        action: str,
        side: Side | None,
        roles: Iterable[Role],
        on_hold: bool,
    ) -> Transition:
        """The transition if the caller may take it now; otherwise one clear refusal."""
        transition = self.get(action)
        if state not in transition.sources:
            raise TransitionRefused(
                N_(
                    "A %(kind)s case in state '%(state)s' cannot '%(action)s'; "
                    "it is allowed from: %(sources)s."
                ),
                params={
                    "kind": Term(self.kind),
                    "state": Term(state),
                    "action": Term(action),
                    "sources": ", ".join(sorted(transition.sources)),
                },
                rule="workflow",
            )
        if not transition.sides:
            raise Forbidden(
                N_("'%(action)s' is taken by the system (readmit sweep), never by a party."),
                params={"action": Term(action)},
                type="wrong-party",
            )
        if side is None or side not in transition.sides:
            raise Forbidden(
                N_("Only the %(sides)s party may '%(action)s'."),
                params={"sides": " or ".join(sorted(transition.sides)), "action": Term(action)},
                type="wrong-party",
            )
        if not transition.roles.intersection(roles):
            raise Forbidden(
                N_("'%(action)s' needs the role %(roles)s."),
                params={"action": Term(action), "roles": " or ".join(sorted(transition.roles))},
                type="wrong-role",
            )
        if transition.hold == "lift" and not on_hold:
            raise TransitionRefused(N_("There is no legal hold to lift."), rule="legal-hold")
        if transition.transfer_related and on_hold:
            raise TransitionRefused(
                N_("A legal hold blocks '%(action)s' until it is lifted."),
                params={"action": Term(action)},
                rule="legal-hold",
            )
        return transition

    def allowed_actions(
        self, *, state: str, side: Side | None, roles: Iterable[Role], on_hold: bool
    ) -> list[str]:
        roles = frozenset(roles)
        allowed = []
        for transition in self.transitions:
            try:
                self.check(
                    state=state, action=transition.action, side=side, roles=roles, on_hold=on_hold
                )
            except (TransitionRefused, Forbidden):
                continue
            allowed.append(transition.action)
        return allowed


def _t(
    action: str,
    sources: Iterable[str],
    target: str | None,
    sides: Iterable[Side],
    roles: frozenset[Role],
    **flags: bool | str,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(sides), roles, **flags)  # type: ignore[arg-type]


S, R = Side.SENDING, Side.RECEIVING

# Third-country relocation (USA → Kosovo): the host screens a proposed list and selects.
_RELOCATION_OPEN = (
    RelocationState.PROPOSED,
    RelocationState.RECOMMENDED,
    RelocationState.SELECTED,
    RelocationState.TRANSFER_SCHEDULED,
)
RELOCATION = Workflow(
    kind="relocation",
    states=tuple(RelocationState),
    initial=RelocationState.PROPOSED,
    final=frozenset({RelocationState.CLOSED}),
    transitions=(
        _t("recommend", [RelocationState.PROPOSED], RelocationState.RECOMMENDED, [R], WORKERS),
        _t("select", [RelocationState.RECOMMENDED], RelocationState.SELECTED, [R], SUPERVISORS),
        _t(
            "decline",
            [RelocationState.PROPOSED, RelocationState.RECOMMENDED],
            RelocationState.DECLINED,
            [R],
            SUPERVISORS,
            needs_reason=True,
        ),
        # A decline made in error, taken back by a supervisor: the case is proposed again.
        _t(
            "reconsider",
            [RelocationState.DECLINED],
            RelocationState.PROPOSED,
            [R],
            SUPERVISORS,
            needs_reason=True,
        ),
        _t(
            "withdraw", _RELOCATION_OPEN, RelocationState.WITHDRAWN, [S], WORKERS, needs_reason=True
        ),
        _t(
            "place_legal_hold",
            (*_RELOCATION_OPEN, RelocationState.IN_RECEPTION),
            None,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
            hold="place",
        ),
        _t(
            "lift_legal_hold",
            (*_RELOCATION_OPEN, RelocationState.IN_RECEPTION),
            None,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
            hold="lift",
        ),
        _t(
            "schedule_transfer",
            [RelocationState.SELECTED],
            RelocationState.TRANSFER_SCHEDULED,
            [S],
            WORKERS,
            transfer_related=True,
        ),
        _t(
            "record_arrival",
            [RelocationState.TRANSFER_SCHEDULED],
            RelocationState.IN_RECEPTION,
            [R],
            WORKERS,
            transfer_related=True,
        ),
        # Not transfer_related: a hold blocks only the removal outcomes (hook), never the
        # transfer back or release a court ordered.
        _t(
            "record_departure",
            [RelocationState.IN_RECEPTION],
            RelocationState.DEPARTED,
            [R],
            WORKERS,
        ),
        _t(
            "close",
            [RelocationState.DECLINED, RelocationState.WITHDRAWN, RelocationState.DEPARTED],
            RelocationState.CLOSED,
            ANY_SIDE,
            WORKERS,
        ),
    ),
)

# Reception centres abroad (Italy → Albania): no selection, but exclusions and capacity.
_RECEPTION_OPEN = (ReceptionState.PROPOSED, ReceptionState.TRANSFER_SCHEDULED)
RECEPTION = Workflow(
    kind="reception",
    states=tuple(ReceptionState),
    initial=ReceptionState.PROPOSED,
    final=frozenset({ReceptionState.CLOSED}),
    transitions=(
        _t(
            "decline",
            [ReceptionState.PROPOSED],
            ReceptionState.DECLINED,
            [R],
            SUPERVISORS,
            needs_reason=True,
        ),
        _t(
            "reconsider",
            [ReceptionState.DECLINED],
            ReceptionState.PROPOSED,
            [R],
            SUPERVISORS,
            needs_reason=True,
        ),
        _t("withdraw", _RECEPTION_OPEN, ReceptionState.WITHDRAWN, [S], WORKERS, needs_reason=True),
        _t(
            "place_legal_hold",
            (*_RECEPTION_OPEN, ReceptionState.IN_RECEPTION),
            None,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
            hold="place",
        ),
        _t(
            "lift_legal_hold",
            (*_RECEPTION_OPEN, ReceptionState.IN_RECEPTION),
            None,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
            hold="lift",
        ),
        _t(
            "schedule_transfer",
            [ReceptionState.PROPOSED],
            ReceptionState.TRANSFER_SCHEDULED,
            [S],
            WORKERS,
            transfer_related=True,
        ),
        _t(
            "record_arrival",
            [ReceptionState.TRANSFER_SCHEDULED],
            ReceptionState.IN_RECEPTION,
            [R],
            WORKERS,
            transfer_related=True,
        ),
        # Not transfer_related: a hold blocks only the removal outcomes (hook), never the
        # transfer back or release a court ordered.
        _t(
            "record_departure", [ReceptionState.IN_RECEPTION], ReceptionState.DEPARTED, [R], WORKERS
        ),
        _t(
            "close",
            [ReceptionState.DECLINED, ReceptionState.WITHDRAWN, ReceptionState.DEPARTED],
            ReceptionState.CLOSED,
            ANY_SIDE,
            WORKERS,
        ),
    ),
)

# Readmission of own nationals (USA → Montenegro): application, reply, travel document.
# ``deem_accepted`` is taken by no party: ``readmit sweep`` takes it (as the system) when the
# reply limit ran out and the agreement says silence means acceptance.
_READMISSION_PENDING = (
    ReadmissionState.SUBMITTED,
    ReadmissionState.ACKNOWLEDGED,
    ReadmissionState.INTERVIEW_REQUESTED,
)
_READMISSION_ACCEPTED = (ReadmissionState.ACCEPTED, ReadmissionState.DEEMED_ACCEPTED)
_READMISSION_OPEN = (
    *_READMISSION_PENDING,
    *_READMISSION_ACCEPTED,
    ReadmissionState.TRAVEL_DOCUMENT_ISSUED,
    ReadmissionState.TRANSFER_SCHEDULED,
)
NO_PARTY: frozenset[Side] = frozenset()
SYSTEM_ONLY: frozenset[Role] = frozenset()
READMISSION = Workflow(
    kind="readmission",
    states=tuple(ReadmissionState),
    initial=ReadmissionState.SUBMITTED,
    final=frozenset({ReadmissionState.CLOSED}),
    transitions=(
        _t(
            "acknowledge",
            [ReadmissionState.SUBMITTED],
            ReadmissionState.ACKNOWLEDGED,
            [R],
            WORKERS_AND_LIAISON,
        ),
        _t(
            "request_interview",
            [ReadmissionState.SUBMITTED, ReadmissionState.ACKNOWLEDGED],
            ReadmissionState.INTERVIEW_REQUESTED,
            [R],
            WORKERS_AND_LIAISON,
        ),
        _t("accept", _READMISSION_PENDING, ReadmissionState.ACCEPTED, [R], SUPERVISORS),
        _t(
            "reject",
            _READMISSION_PENDING,
            ReadmissionState.REJECTED,
            [R],
            SUPERVISORS,
            needs_reason=True,
        ),
        _t(
            "deem_accepted",
            _READMISSION_PENDING,
            ReadmissionState.DEEMED_ACCEPTED,
            NO_PARTY,
            SYSTEM_ONLY,
        ),
        _t("extend", _READMISSION_PENDING, None, [R], WORKERS, needs_reason=True),
        # Again after a revocation (the hook refuses while a valid document stands); a new
        # document after scheduling needs the transfer scheduled again.
        _t(
            "issue_travel_document",
            [
                *_READMISSION_ACCEPTED,
                ReadmissionState.TRAVEL_DOCUMENT_ISSUED,
                ReadmissionState.TRANSFER_SCHEDULED,
            ],
            ReadmissionState.TRAVEL_DOCUMENT_ISSUED,
            [R],
            WORKERS_AND_LIAISON,
        ),
        _t(
            "revoke_travel_document",
            [ReadmissionState.TRAVEL_DOCUMENT_ISSUED, ReadmissionState.TRANSFER_SCHEDULED],
            None,
            [R],
            WORKERS_AND_LIAISON,
            needs_reason=True,
        ),
        _t(
            "withdraw",
            _READMISSION_OPEN,
            ReadmissionState.WITHDRAWN,
            [S],
            WORKERS,
            needs_reason=True,
        ),
        _t(
            "place_legal_hold",
            _READMISSION_OPEN,
            None,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
            hold="place",
        ),
        _t(
            "lift_legal_hold",
            _READMISSION_OPEN,
            None,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
            hold="lift",
        ),
        _t(
            "schedule_transfer",
            [*_READMISSION_ACCEPTED, ReadmissionState.TRAVEL_DOCUMENT_ISSUED],
            ReadmissionState.TRANSFER_SCHEDULED,
            [S],
            WORKERS,
            transfer_related=True,
        ),
        # The handover, recorded by the receiving side (who received the person, when, where).
        _t(
            "record_transfer",
            [ReadmissionState.TRANSFER_SCHEDULED],
            ReadmissionState.TRANSFERRED,
            [R],
            WORKERS,
            transfer_related=True,
        ),
        # Transit only (``VARIANT_ACTIONS``): the requested state revokes its authorisation, or
        # either side records that the transit failed; the requesting state then owes a
        # take-back (a "take_back" deadline) and records it done.
        _t(
            "revoke_transit",
            [
                *_READMISSION_ACCEPTED,
                ReadmissionState.TRAVEL_DOCUMENT_ISSUED,
                ReadmissionState.TRANSFER_SCHEDULED,
            ],
            ReadmissionState.TAKE_BACK_DUE,
            [R],
            WORKERS,
            needs_reason=True,
        ),
        _t(
            "record_transit_failed",
            [ReadmissionState.TRANSFER_SCHEDULED, ReadmissionState.TRANSFERRED],
            ReadmissionState.TAKE_BACK_DUE,
            ANY_SIDE,
            WORKERS,
            needs_reason=True,
        ),
        _t(
            "record_take_back",
            [ReadmissionState.TAKE_BACK_DUE],
            ReadmissionState.TAKEN_BACK,
            [S],
            WORKERS,
        ),
        _t(
            "close",
            [
                ReadmissionState.REJECTED,
                ReadmissionState.TRANSFERRED,
                ReadmissionState.TAKEN_BACK,
                ReadmissionState.WITHDRAWN,
            ],
            ReadmissionState.CLOSED,
            ANY_SIDE,
            WORKERS,
        ),
    ),
)

# Actions a case of another readmission variant never offers (``case.data["variant"]``).
VARIANT_ACTIONS: dict[str, str] = {
    "revoke_transit": "transit",
    "record_transit_failed": "transit",
    "record_take_back": "transit",
}


def offered_to_variant(action: str, variant: str) -> bool:
    """Whether a case of ``variant`` offers ``action`` at all (a readmission has no transit
    to revoke)."""
    return VARIANT_ACTIONS.get(action, variant) == variant


# Actions that commit a person to the partner state: refused while the agreement is not in
# force (suspended by a court, say, or ended). Withdrawals, declines, holds, departures and
# closing stay possible, so nobody is stuck because an agreement stopped.
NEED_AGREEMENT_IN_FORCE = frozenset(
    {"select", "accept", "schedule_transfer", "record_arrival", "record_transfer"}
)

WORKFLOWS: dict[str, Workflow] = {w.kind: w for w in (RELOCATION, RECEPTION, READMISSION)}


def workflow_for(kind: str) -> Workflow:
    try:
        return WORKFLOWS[kind]
    except KeyError:
        raise TransitionRefused(
            N_("There is no workflow for cases of kind '%(kind)s'."),
            params={"kind": kind},
            rule="unknown-kind",
        ) from None
