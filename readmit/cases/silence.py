"""Silence and lateness in readmission: the reply limit, what silence means, interviews.

- ``readmit sweep`` moves an application whose reply limit ran out with no reply to
  ``deemed_accepted`` where the terms in force when it ran out say
  ``silence_means_acceptance``. The system takes the step (audited with no user), the reply
  deadline is stored as lapsed, and the transfer limit starts from the deemed acceptance (the
  day after the reply was due). Running the sweep again changes nothing. Like ``accept``, it
  needs the agreement in force.
- A reply (``accept`` / ``reject``) after the limit ran out is refused (rule ``reply-late``)
  where silence means acceptance: the application is already accepted by silence. Elsewhere
  the reply is taken, recorded as late in the audit, and its deadline is stored as met late.
- ``request_interview`` needs the agreement to provide interviews (``interview_provided``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from readmit.agreements.models import AgreementKind, AgreementStatus
from readmit.agreements.selectors import terms_at
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.deadlines import ran_out, reply_deadline, start_limit
from readmit.cases.models import Case, Deadline
from readmit.cases.services import TransitionContext, register_transition_hook
from readmit.cases.workflow import READMISSION
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.errors import N_, Term, TransitionRefused

DEEM = READMISSION.get("deem_accepted")


def deemed_at(due_on: dt.date) -> dt.datetime:
    """Silence takes effect when the due day ends: the start of the next day (UTC)."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)


def silence_means_acceptance(case: Case, due_on: dt.date) -> bool:
    return terms_at(case.agreement, deemed_at(due_on)).silence_means_acceptance


def reply_in_time(context: TransitionContext) -> None:
    """A reply after the limit: refused where silence means acceptance, else flagged late."""
    deadline = reply_deadline(context.case)
    if deadline is None or not ran_out(deadline.due_on, context.at):
        return
    if silence_means_acceptance(context.case, deadline.due_on):
        raise TransitionRefused(
            N_(
                "The reply was due by %(due_on)s; under this agreement silence means "
                "acceptance, so the application is accepted by silence and a late "
                "'%(action)s' cannot change that."
            ),
            params={
                "due_on": deadline.due_on.isoformat(),
                "action": Term(context.transition.action),
            },
            rule="reply-late",
        )
    context.audit_data["late"] = {"due_on": deadline.due_on.isoformat()}


def interview_provided(context: TransitionContext) -> None:
    if not terms_at(context.case.agreement, context.at).interview_provided:
        raise TransitionRefused(
            N_(
                "This agreement provides no interview (interview_provided is false): decide on "
                "the evidence, or ask for more through the reason of a reply."
            ),
            rule="interview-not-provided",
        )


def deemed_acceptance_sweep(*, now: dt.datetime | None = None) -> int:
    """Move every readmission application whose reply limit ran out unanswered to
    ``deemed_accepted`` where silence means acceptance. Returns how many moved."""
    now = now or clock.now()
    due = (
        Deadline.objects.filter(kind="reply")
        .open()
        .filter(
            due_on__lt=now.date(),
            case__kind=AgreementKind.READMISSION,
            case__state__in=DEEM.sources,
            case__closed_at__isnull=True,
            # Like ``accept``, a deemed acceptance commits the partner: not while the
            # agreement is suspended or ended.
            case__agreement__status=AgreementStatus.IN_FORCE,
        )
        .values_list("case_id", flat=True)
    )
    moved = 0
    for case_id in list(due):
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("agreement").get(id=case_id)
            deadline = reply_deadline(case)
            if case.state not in DEEM.sources or deadline is None:
                continue  # answered or moved since the query: nothing to do
            if not ran_out(deadline.due_on, now):
                continue
            if not silence_means_acceptance(case, deadline.due_on):
                continue
            _deem_accepted(case, deadline, now=now)
            moved += 1
    return moved


def _deem_accepted(case: Case, deadline: Deadline, *, now: dt.datetime) -> None:
    effective = deemed_at(deadline.due_on)
    from_state = case.state
    deadline.lapsed_at = effective
    deadline.save(update_fields=["lapsed_at", "updated_at"])
    case.state = DEEM.next_state(case.state)
    case.data["decision"] = {
        "decision": "deemed_accepted",
        "by": "system",
        "at": effective.isoformat(),
    }
    case.version += 1
    case.save()
    audit_record(
        event_type=AuditEventType.CASE_TRANSITIONED,
        acting_user=SystemActor("deadline sweep"),
        agreement_id=case.agreement_id,
        case_id=case.id,
        object_type="case",
        object_id=str(case.id),
        data={
            "action": DEEM.action,
            "from": from_state,
            "to": case.state,
            "reason": (
                f"No reply by {deadline.due_on.isoformat()}: under this agreement silence "
                "means acceptance."
            ),
            "legal_hold": case.legal_hold,
            "deemed_from": effective.isoformat(),
            "swept_at": now.isoformat(),
        },
    )
    if case.data.get("variant") == "transit":  # consent opens the transit window
        start_limit(
            case,
            "transit",
            effective,
            acting_user=SystemActor("deadline sweep"),
            term_key="transit_window",
        )
    else:
        start_limit(case, "transfer", effective, acting_user=SystemActor("deadline sweep"))


def register() -> None:
    for action in ("accept", "reject"):
        register_transition_hook("readmission", action, reply_in_time)
    register_transition_hook("readmission", "request_interview", interview_provided)
