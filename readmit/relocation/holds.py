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

import datetime as dt
import uuid
from typing import Any

from readmit.accounts.access import standing
from readmit.accounts.roles import Role
from readmit.cases.services import TransitionContext, register_transition_hook
from readmit.core.errors import Forbidden, TransitionRefused
from readmit.relocation.hooks import _invalid, _text
from readmit.relocation.models import HoldKind, LegalHold

KINDS = ("relocation", "reception", "readmission")


def _date(payload: dict[str, Any], field: str, *, today: dt.date) -> dt.date:
    value = payload.get(field)
    parsed = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise _invalid(field, "is required, as a date (YYYY-MM-DD)")
    if parsed > today:
        raise _invalid(field, "cannot be in the future")
    return parsed


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
    payload = context.payload
    kind = payload.get("kind")
    if kind not in HoldKind.values:
        raise _invalid("kind", f"is required, one of {', '.join(HoldKind.values)}")
    authority = _text(payload, "authority", required=True, limit=200)
    reference = _text(payload, "reference", required=True, limit=120)
    decided_on = _date(payload, "decided_on", today=context.at.date())
    same = LegalHold.objects.filter(
        case=context.case, lifted_at__isnull=True, kind=kind, authority=authority
    ).filter(reference=reference)
    if same.exists():
        raise TransitionRefused(
            f"This hold ({kind}, {authority}, {reference}) is already recorded and open.",
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
    chosen = context.payload.get("hold")
    if chosen in (None, ""):
        if open_holds.count() > 1:
            raise _invalid("hold", "is required: name which of the open holds is lifted")
        return open_holds.first()
    try:
        hold = open_holds.filter(id=uuid.UUID(str(chosen))).first()
    except ValueError:
        hold = None
    if hold is None:
        raise _invalid("hold", "is not an open hold of this case")
    return hold


def lift_legal_hold(context: TransitionContext) -> None:
    """Lift one open hold: the placing side's supervisor, or anyone recording the court
    decision that lifts it (``court_reference``)."""
    hold = _hold_to_lift(context)
    court_reference = _text(context.payload, "court_reference", required=False, limit=120)
    position = standing(context.acting_user, context.case.agreement)
    placed_by_side = hold.side if hold is not None else ""
    if not court_reference:
        # A hold recorded without a side (placed before sides were recorded): any supervisor.
        if placed_by_side and position.side != placed_by_side:
            raise Forbidden(
                f"This hold was placed by the {placed_by_side} party: only its supervisor "
                "lifts it, or record the court decision that lifts it in court_reference.",
                type="wrong-party",
            )
        if Role.SUPERVISOR not in position.roles:
            raise Forbidden(
                "Lifting a hold needs the role supervisor of the placing side, or the court "
                "decision that lifts it in court_reference.",
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
        register_transition_hook(kind, "place_legal_hold", place_legal_hold)
        register_transition_hook(kind, "lift_legal_hold", lift_legal_hold)
