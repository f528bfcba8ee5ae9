"""Legal holds: who places them, what they record, who may lift them.

A hold is a decision that halts removal: a court challenge, an interim measure, a fear claim,
a detention a court did not validate, an appeal, a medical ground. It records the authority
(court or body) that took it, its reference and date, and the side, organisation and user
that recorded it. A case may carry several; ``Case.legal_hold`` is on while any is open, and
the workflow tables read that flag (``transfer_related`` actions are refused).

Who may lift a hold:

- the **placing side's supervisor**, with a reason; or
- **anyone of either side** (caseworker or supervisor) who records the **court decision** that
  lifts it (``court_reference``): a court order binds both states.

A caseworker of the placing side without a court reference is refused (``wrong-role``); the
other side without a court reference is refused (``wrong-party``). The lift is written to the
case history, which both parties read, and to the audit trail: that is how the other party is
told (Readmit has no other notification channel).

Registered for every case kind (relocation, reception, readmission).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import Field

from readmit.accounts.access import standing
from readmit.accounts.roles import Role
from readmit.cases.services import TransitionContext, register_transition_hook
from readmit.core.errors import N_, Forbidden, Term, TransitionRefused
from readmit.core.payloads import ActionPayload, Choices, Day
from readmit.relocation.hooks import _invalid
from readmit.relocation.models import HoldKind, LegalHold

KINDS = ("relocation", "reception", "readmission")

# Who may lift a hold the other side placed: one whole sentence per side.
_PLACED_BY = {
    "sending": N_(
        "This hold was placed by the sending party: only its supervisor lifts it, or record "
        "the court decision that lifts it in court_reference."
    ),
    "receiving": N_(
        "This hold was placed by the receiving party: only its supervisor lifts it, or "
        "record the court decision that lifts it in court_reference."
    ),
}


class PlaceLegalHoldIn(ActionPayload):
    kind: HoldKind = Field(title="Kind of hold")
    authority: str = Field(
        min_length=1,
        max_length=200,
        title="Authority (court or body)",
        description="e.g. Court of Rome, European Court of Human Rights, asylum office",
    )
    reference: str = Field(min_length=1, max_length=120, title="Its reference")
    decided_on: Day = Field(title="Decided on")
    example = {
        "kind": "court_challenge",
        "authority": "Court of Rome",
        "reference": "RG 1234/2026",
        "decided_on": "2026-11-20",
    }


class LiftLegalHoldIn(ActionPayload):
    hold: Annotated[uuid.UUID, Choices("open_holds")] | None = Field(
        default=None,
        title="Hold to lift",
        description="Required when more than one hold is open",
    )
    court_reference: str = Field(
        default="",
        max_length=120,
        title="Court decision lifting it (reference)",
        description="Without one, only a supervisor of the side that placed the hold lifts it",
    )
    example = {"court_reference": "RG 1234/2026, order of 1 December"}


def hold_summary(hold: LegalHold) -> dict[str, Any]:
    """What the audit event (and so the case history both parties read) says of a hold."""
    return {
        "hold": str(hold.id),
        "kind": hold.kind,
        "authority": hold.authority,
        "reference": hold.reference,
        "decided_on": hold.decided_on.isoformat() if hold.decided_on else None,
        "side": hold.side,
        "organisation": hold.organisation.name if hold.organisation else "",
    }


def place_legal_hold(context: TransitionContext) -> None:
    """Record the hold with its authority. Several holds may stand on one case."""
    payload = context.payload_as(PlaceLegalHoldIn)
    kind, authority, reference = HoldKind(payload.kind), payload.authority, payload.reference
    decided_on = payload.decided_on
    if decided_on > context.at.date():
        raise _invalid(
            "decided_on",
            N_("cannot be in the future"),
            N_("decided_on: cannot be in the future."),
        )
    same = LegalHold.objects.filter(
        case=context.case, lifted_at__isnull=True, kind=kind, authority=authority
    ).filter(reference=reference)
    if same.exists():
        raise TransitionRefused(
            N_("This hold (%(kind)s, %(authority)s, %(reference)s) is already recorded and open."),
            params={"kind": Term(kind), "authority": authority, "reference": reference},
            rule="legal-hold",
        )
    position = standing(context.acting_user, context.case.agreement)
    hold = LegalHold.objects.create(
        case=context.case,
        kind=kind,
        authority=authority,
        reference=reference,
        decided_on=decided_on,
        side=str(position.side or ""),
        organisation_id=position.organisation_id,
        placed_at=context.at,
        placed_by=context.acting_user,
    )
    context.audit_data["hold"] = hold_summary(hold)


def _hold_to_lift(context: TransitionContext) -> LegalHold | None:
    open_holds = LegalHold.objects.filter(case=context.case, lifted_at__isnull=True).select_related(
        "organisation"
    )
    chosen = context.payload_as(LiftLegalHoldIn).hold
    if chosen is None:
        if open_holds.count() > 1:
            raise _invalid(
                "hold",
                N_("is required: name which of the open holds is lifted"),
                N_("hold: is required: name which of the open holds is lifted."),
            )
        return open_holds.first()
    hold = open_holds.filter(id=chosen).first()
    if hold is None:
        raise _invalid(
            "hold",
            N_("is not an open hold of this case"),
            N_("hold: is not an open hold of this case."),
        )
    return hold


def lift_legal_hold(context: TransitionContext) -> None:
    """Lift one open hold: the placing side's supervisor, or anyone recording the court
    decision that lifts it (``court_reference``)."""
    hold = _hold_to_lift(context)
    court_reference = context.payload_as(LiftLegalHoldIn).court_reference
    position = standing(context.acting_user, context.case.agreement)
    placed_by_side = hold.side if hold is not None else ""
    if not court_reference:
        # A hold recorded without a side (placed before sides were recorded): any supervisor.
        if placed_by_side and position.side != placed_by_side:
            refusal = _PLACED_BY.get(placed_by_side, _PLACED_BY["sending"])
            raise Forbidden(refusal, type="wrong-party")
        if Role.SUPERVISOR not in position.roles:
            raise Forbidden(
                N_(
                    "Lifting a hold needs the role supervisor of the placing side, or the court "
                    "decision that lifts it in court_reference."
                ),
                type="wrong-role",
            )
    if hold is None:  # only the flag was set, before holds were recorded
        context.audit_data["hold"] = {"court_reference": court_reference}
        return
    hold.lifted_at = context.at
    hold.lifted_by = context.acting_user
    hold.lift_reason = context.reason
    hold.lift_court_reference = court_reference
    hold.save(
        update_fields=[
            "lifted_at",
            "lifted_by",
            "lift_reason",
            "lift_court_reference",
            "updated_at",
        ]
    )
    context.hold_remains = LegalHold.objects.filter(
        case=context.case, lifted_at__isnull=True
    ).exists()
    context.audit_data["hold"] = {
        **hold_summary(hold),
        "lifted_by_side": str(position.side or ""),
        "court_reference": court_reference,
    }


def register() -> None:
    for kind in KINDS:
        register_transition_hook(
            kind, "place_legal_hold", place_legal_hold, payload=PlaceLegalHoldIn
        )
        register_transition_hook(kind, "lift_legal_hold", lift_legal_hold, payload=LiftLegalHoldIn)
