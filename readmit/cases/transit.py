"""Transit and erroneous readmission: the readmission variants (DESIGN §2, docs/readmission.md).

- A **transit** application (``variant="transit"``) names the final destination and the
  escort. Its reply limit is ``time_limits.transit_reply`` (default 5 calendar days); consent
  (``accept``, or a deemed acceptance) opens ``transit_window`` (default 30 days), and a
  transit scheduled or handed over after the window ran out is refused (rule
  ``transit-window``). ``revoke_transit`` (the requested side, with a reason) or
  ``record_transit_failed`` (either side) moves the case to ``take_back_due`` with a
  "take_back" deadline (``transit_take_back``, default 3 calendar days) on the same case;
  the requesting side meets it with ``record_take_back``. One case, one deadline: no second
  case is opened for a take-back the requesting state owes by the agreement.
- A **take-back** application (``variant="take_back"``, erroneous readmission) names the
  earlier case: same agreement, handed over, and still within the window after the
  handover: ``take_back_nationals`` (default 6 months) when the earlier case readmitted the
  person as a national of the requested state, else ``take_back_others`` (default 12
  months). After the window intake refuses it (409, rule ``take-back-window``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from readmit.agreements.models import Agreement, AgreementKind
from readmit.agreements.terms import AgreementTerms
from readmit.cases.deadlines import calendar_for, limit_term, ran_out
from readmit.cases.models import Case
from readmit.cases.services import TransitionContext, register_transition_hook
from readmit.cases.workflow import VARIANT_ACTIONS
from readmit.core.errors import N_, Term, TransitionRefused, field_error
from readmit.deadlines import TimeLimit, Unit, due

__all__ = ["earlier_case_errors", "register", "take_back_window_check"]


# The refusal of a take-back asked too late, one whole sentence per unit of its window.
_WINDOW_ENDED = {
    Unit.CALENDAR_DAYS: N_(
        "The take-back window of case %(case)s (%(key)s: %(amount)s calendar days from the "
        "handover on %(handed_over)s) ended on %(ends)s: the take-back can no longer be asked "
        "under the agreement."
    ),
    Unit.WORKING_DAYS: N_(
        "The take-back window of case %(case)s (%(key)s: %(amount)s working days from the "
        "handover on %(handed_over)s) ended on %(ends)s: the take-back can no longer be asked "
        "under the agreement."
    ),
    Unit.MONTHS: N_(
        "The take-back window of case %(case)s (%(key)s: %(amount)s months from the handover "
        "on %(handed_over)s) ended on %(ends)s: the take-back can no longer be asked under the "
        "agreement."
    ),
    Unit.HOURS: N_(
        "The take-back window of case %(case)s (%(key)s: %(amount)s hours from the handover "
        "on %(handed_over)s) ended on %(ends)s: the take-back can no longer be asked under the "
        "agreement."
    ),
}


def earlier_case_errors(agreement: Agreement, earlier_id: uuid.UUID | None) -> list[dict[str, Any]]:
    """What is wrong with the case a take-back names, as field errors (422)."""
    if earlier_id is None:
        return []
    earlier = Case.objects.filter(
        id=earlier_id, agreement=agreement, kind=AgreementKind.READMISSION
    ).first()
    if earlier is None:
        return [
            {"loc": ["take_back_of"], "msg": N_("is not a readmission case under this agreement")}
        ]
    if "handover" not in earlier.data:
        return [
            field_error(
                ["take_back_of"],
                N_("case %(reference)s was never transferred (no handover recorded)"),
                reference=earlier.reference,
            )
        ]
    return []


def take_back_window_check(
    agreement: Agreement, terms: AgreementTerms, earlier_id: uuid.UUID, today: dt.date
) -> dict[str, Any]:
    """Refuse (409, ``take-back-window``) a take-back after the agreement's window; else the
    window as a record for the case."""
    earlier = Case.objects.select_related("person").get(id=earlier_id)
    handed_over = dt.datetime.fromisoformat(earlier.data["handover"]["handed_over_at"]).date()
    receiving = agreement.receiving_party
    requested_country = receiving.organisation.country_id if receiving else None
    national = earlier.person.nationalities.filter(code=requested_country).exists()
    key = "take_back_nationals" if national else "take_back_others"
    term = limit_term(terms, key)
    assert term is not None
    limit = TimeLimit(amount=term.amount, unit=Unit(term.unit), roll_forward=term.roll_forward)
    result = due(handed_over, limit, calendar_for(agreement))
    ends = result.date() if isinstance(result, dt.datetime) else result
    if today > ends:
        raise TransitionRefused(
            _WINDOW_ENDED[Unit(term.unit)],
            params={
                "case": earlier.reference,
                "key": key,
                "amount": term.amount,
                "handed_over": handed_over.isoformat(),
                "ends": ends.isoformat(),
            },
            rule="take-back-window",
        )
    return {"case": str(earlier.id), "reference": earlier.reference, "window": key, "ends": ends}


def only_its_variant(context: TransitionContext) -> None:
    action = context.transition.action
    variant = context.case.data.get("variant", "readmission")
    if VARIANT_ACTIONS.get(action, variant) != variant:
        raise TransitionRefused(
            N_("'%(action)s' is only for a %(only)s case; this is a %(variant)s."),
            params={
                "action": Term(action),
                "only": Term(VARIANT_ACTIONS[action]),
                "variant": Term(variant),
            },
            rule="variant",
        )


def within_transit_window(context: TransitionContext) -> None:
    """A transit is scheduled and handed over within the window consent opened."""
    case = context.case
    if case.data.get("variant") != "transit":
        return
    window = case.deadlines.filter(kind="transit").open().first()
    if window is not None and ran_out(window.due_on, context.at):
        raise TransitionRefused(
            N_(
                "The transit window (%(window)s) ended on %(ends)s: the transit can no longer "
                "be carried out; revoke it or record it failed."
            ),
            params={"window": window.explanation, "ends": window.due_on.isoformat()},
            rule="transit-window",
        )


def register() -> None:
    for action in VARIANT_ACTIONS:
        register_transition_hook("readmission", action, only_its_variant, order=0)
    for action in ("schedule_transfer", "record_transfer"):
        register_transition_hook("readmission", action, within_transit_window, order=0)
