"""Which deadlines a case carries, computed from its agreement's time limits.

The arithmetic is ``readmit.deadlines`` (pure); this module decides which limit starts on
which event. Time-limit keys in an agreement's terms:

- ``reply``: the requested state answers a readmission application (start: case opened);
- ``extension``: one reasoned extension of ``reply`` (action ``extend``);
- ``transfer``: the transfer takes place after acceptance (start: ``accept``, or the deemed
  acceptance when the reply limit ran out and silence means acceptance);
- ``interview``: the interview takes place (start: ``request_interview``);
- ``transit_reply``: the reply to a transit application (start: case opened; default 5
  calendar days), in place of ``reply``;
- ``transit_window``: the transit is carried out (start: ``accept``; default 30 calendar
  days), in place of ``transfer``;
- ``transit_take_back``: the requesting state takes the person back after ``revoke_transit``
  or ``record_transit_failed`` (default 3 calendar days: the clause says "without delay");
- ``take_back_nationals`` / ``take_back_others``: the window after a transfer in which an
  erroneous readmission is taken back (defaults 6 and 12 months; ``readmit.cases.transit``).

Calendars count the weekends and public holidays of both parties' countries.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from readmit.accounts.actors import Actor
from readmit.accounts.selectors import organisation_zone
from readmit.agreements.models import Agreement, AgreementKind
from readmit.agreements.selectors import terms_at
from readmit.agreements.terms import AgreementTerms, TimeLimitTerm
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case, Deadline, DeadlineQuerySet
from readmit.core import clock
from readmit.core.errors import N_
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due, extend
from readmit.deadlines.calendar import local_date

LABELS = {
    "reply": N_("Reply to the application"),
    "transfer": N_("Transfer after acceptance"),
    "interview": N_("Interview"),
    "transit": N_("Transit within the window after consent"),
    "take_back": N_("Take back after the transit ended"),
}
# The limits that apply when an agreement's terms do not set them (DESIGN §2).
DEFAULT_LIMITS: dict[str, TimeLimitTerm] = {
    "transit_reply": TimeLimitTerm(amount=5, unit="calendar_days"),
    "transit_window": TimeLimitTerm(amount=30, unit="calendar_days"),
    "transit_take_back": TimeLimitTerm(amount=3, unit="calendar_days"),
    "take_back_nationals": TimeLimitTerm(amount=6, unit="months"),
    "take_back_others": TimeLimitTerm(amount=12, unit="months"),
}


def limit_term(terms: AgreementTerms, key: str) -> TimeLimitTerm | None:
    """The terms' limit ``key``, or its default where the terms do not set it."""
    return terms.time_limits.get(key) or DEFAULT_LIMITS.get(key)


# What each action does to running deadlines: (deadline kinds it meets, limit it starts).
ON_ACTION: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": (("reply", "interview"), "transfer"),
    "reject": (("reply", "interview"), None),
    "request_interview": ((), "interview"),
    "record_transfer": (("transfer",), None),
    "withdraw": (("reply", "interview", "transfer"), None),
}
# A transit: consent opens the transit window (not the transfer limit); its end, a
# revocation or a failure meets it; the last two start the take-back.
TRANSIT_ON_ACTION: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": (("reply", "interview"), "transit"),
    "record_transfer": (("transit",), None),
    "withdraw": (("reply", "interview", "transit"), None),
    "revoke_transit": (("transit",), "take_back"),
    "record_transit_failed": (("transit",), "take_back"),
    "record_take_back": (("take_back",), None),
}
TERM_OF = {"transit": "transit_window", "take_back": "transit_take_back"}


def calendar_for(agreement: Agreement) -> WorkingCalendar:
    countries = sorted(
        {p.organisation.country_id for p in agreement.parties.select_related("organisation")}
    )
    supported = []
    for code in countries:
        try:
            WorkingCalendar([code])
        except ValueError:
            continue  # no public-holiday data for this country: weekends still count
        supported.append(code)
    return WorkingCalendar(supported)


def _limit(term: TimeLimitTerm) -> TimeLimit:
    return TimeLimit(amount=term.amount, unit=Unit(term.unit), roll_forward=term.roll_forward)


def _due_on_day(start: dt.date, term: TimeLimitTerm, calendar: WorkingCalendar) -> dt.date:
    result = due(start, _limit(term), calendar)
    return result.date() if isinstance(result, dt.datetime) else result


def _due_on(start: dt.datetime, term: TimeLimitTerm, calendar: WorkingCalendar) -> dt.date:
    result = due(start, _limit(term), calendar)
    return result.date() if isinstance(result, dt.datetime) else result


def reply_term_key(case: Case) -> str:
    """The terms' reply limit for the case: ``transit_reply`` for a transit, else the
    procedure's ``reply`` or ``reply_accelerated``."""
    if case.data.get("variant") == "transit":
        return "transit_reply"
    return "reply_accelerated" if case.data.get("procedure") == "accelerated" else "reply"


def requested_zone(case: Case) -> zoneinfo.ZoneInfo:
    """The requested (receiving) state's time zone: a receipt counts from its date there."""
    party = case.agreement.receiving_party
    return organisation_zone(party.organisation) if party is not None else zoneinfo.ZoneInfo("UTC")


def start_limit(
    case: Case,
    kind: str,
    at: dt.datetime,
    acting_user: Actor,
    *,
    term_key: str | None = None,
    zone: zoneinfo.ZoneInfo | None = None,
) -> None:
    """Start the limit ``term_key`` (default: ``kind``) of the terms as a deadline ``kind``.

    With ``zone`` the limit counts from the date of ``at`` in that zone (a receipt in the
    requested state); else from its UTC date.
    """
    term = limit_term(terms_at(case.agreement, at), term_key or kind)
    if term is None:
        return
    if kind == "interview" and case.deadlines.filter(kind=kind).open().exists():
        return  # one interview limit at a time (the evidence may already have set one)
    calendar = calendar_for(case.agreement)
    start = at.date() if zone is None else local_date(at, zone)
    due_on = _due_on_day(start, term, calendar) if zone is not None else _due_on(at, term, calendar)
    explanation = f"{term.amount} {term.unit.replace('_', ' ')} from {start.isoformat()}"
    if zone is not None:
        explanation += f" (the date in {zone.key})"
    if term_key and term_key != kind:
        explanation += f" ({term_key.replace('_', ' ')})"
    deadline = Deadline.objects.create(
        case=case, kind=kind, label=LABELS.get(kind, kind), due_on=due_on, explanation=explanation
    )
    audit_record(
        event_type=AuditEventType.DEADLINE_SET,
        acting_user=acting_user,
        agreement_id=case.agreement_id,
        case_id=case.id,
        object_type="deadline",
        object_id=str(deadline.id),
        data={"kind": kind, "due_on": due_on.isoformat(), "explanation": explanation},
    )


def deadlines_on_open(case: Case, *, acting_user: Actor) -> None:
    if case.kind == AgreementKind.READMISSION:
        start_limit(
            case,
            "reply",
            clock.now(),
            acting_user,
            term_key=reply_term_key(case),
            zone=requested_zone(case),
        )


def deadlines_on_transition(
    case: Case, *, action: str, at: dt.datetime, acting_user: Actor
) -> None:
    if action == "extend":
        _extend_reply(case, at=at, acting_user=acting_user)
        return
    if case.data.get("variant") == "transit" and action in TRANSIT_ON_ACTION:
        meets, starts = TRANSIT_ON_ACTION[action]
    else:
        meets, starts = ON_ACTION.get(action, ((), None))
    if meets:
        deadlines_meet(case.deadlines.filter(kind__in=meets), at)
    if starts:
        start_limit(case, starts, at, acting_user, term_key=TERM_OF.get(starts))


def ran_out(due_on: dt.date, at: dt.datetime) -> bool:
    """A limit runs to the end of its due day: from the next day on, it has run out."""
    return at.date() > due_on


def deadlines_meet(deadlines: DeadlineQuerySet, at: dt.datetime) -> int:
    """Mark the open ``deadlines`` met at ``at``; those whose due date had passed are stored as
    met late, and shown as late, never as met."""
    running = deadlines.open()
    late = running.filter(due_on__lt=at.date()).update(met_at=at, met_late=True)
    return late + running.update(met_at=at)


def reply_deadline(case: Case) -> Deadline | None:
    return case.deadlines.filter(kind="reply").open().first()


def _extend_reply(case: Case, *, at: dt.datetime, acting_user: Actor) -> None:
    from readmit.core.errors import TransitionRefused

    term = terms_at(case.agreement, at).time_limits.get("extension")
    if term is None:
        raise TransitionRefused(
            N_("This agreement provides no extension of the reply time limit."), rule="no-extension"
        )
    deadline = reply_deadline(case)
    if deadline is None:
        raise TransitionRefused(N_("No reply time limit is running."), rule="no-extension")
    if deadline.extended_at is not None:
        raise TransitionRefused(
            N_("The reply time limit was already extended once."), rule="extension-used"
        )
    if ran_out(deadline.due_on, at):
        raise TransitionRefused(
            N_("The reply time limit has already run out."), rule="extension-too-late"
        )
    new_due = extend(deadline.due_on, _limit(term), calendar_for(case.agreement))
    deadline.due_on = new_due
    deadline.extended_at = at
    deadline.explanation = (
        f"{deadline.explanation}; extended by {term.amount} {term.unit.replace('_', ' ')}"
    )
    deadline.save(update_fields=["due_on", "extended_at", "explanation", "updated_at"])
    audit_record(
        event_type=AuditEventType.DEADLINE_SET,
        acting_user=acting_user,
        agreement_id=case.agreement_id,
        case_id=case.id,
        object_type="deadline",
        object_id=str(deadline.id),
        data={"kind": "reply", "due_on": new_due.isoformat(), "extended": True},
    )
