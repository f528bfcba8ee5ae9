"""Predicates next to the gates: would this action on this case be refused, and by which rule?

One home per rule (issue #16, item 2): ``case_transition`` raises what these answer, and the
pages call the same functions to show an action disabled with the rule named before anyone
clicks. Each answers the refusal the service would raise (an exception object, not raised),
or None when the rule lets the action through. They judge only what is certain before the
click: the transition table (state, side, role, legal hold), the agreement in force, and the
quota left; rules that need the moment of the decision (criteria evaluated again, notice
periods) stay in the hooks.
"""

from __future__ import annotations

import datetime as dt

from readmit.accounts.access import Standing, standing
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_WRITERS
from readmit.agreements.models import Agreement, AgreementStatus
from readmit.agreements.quota import QuotaStatus
from readmit.cases.models import Case
from readmit.cases.workflow import NEED_AGREEMENT_IN_FORCE, workflow_for
from readmit.core.errors import N_, Forbidden, Term, TransitionRefused


def transition_refusal(
    case: Case, action: str, position: Standing
) -> TransitionRefused | Forbidden | None:
    """What refuses ``action`` on ``case`` for a caller standing at ``position``: the table
    (``workflow``, ``legal-hold``, ``unknown-action``; ``wrong-party``/``wrong-role`` as
    ``Forbidden``) or ``agreement-not-in-force``. None: the table and the agreement allow it
    (the hooks may still refuse)."""
    try:
        workflow_for(case.kind).check(
            state=case.state,
            action=action,
            side=position.side,
            roles=position.roles,
            on_hold=case.legal_hold,
        )
    except (TransitionRefused, Forbidden) as refusal:
        return refusal
    agreement = case.agreement
    if action in NEED_AGREEMENT_IN_FORCE and agreement.status != AgreementStatus.IN_FORCE:
        return TransitionRefused(
            N_("Agreement '%(agreement)s' is %(status)s: '%(action)s' needs it in force."),
            params={
                "agreement": agreement.reference,
                "status": Term(agreement.status),
                "action": Term(action),
            },
            rule="agreement-not-in-force",
        )
    return None


def action_refusal(kind: str, action: str, position: Standing) -> Forbidden | None:
    """Whether the caller may ever take ``action`` on a case of ``kind`` (the table's side and
    role, whatever the state): ``Forbidden`` (``wrong-party``, ``wrong-role``) or None. Bulk
    actions refuse a caller who can never act as a whole, before touching any case."""
    workflow = workflow_for(kind)
    transition = workflow.get(action)
    try:
        workflow.check(
            state=next(iter(sorted(transition.sources))),
            action=action,
            side=position.side,
            roles=position.roles,
            on_hold=transition.hold == "lift",
        )
    except Forbidden as refusal:
        return refusal
    except TransitionRefused:
        return None
    return None


def can_transition(case: Case, action: str, position: Standing) -> bool:
    return transition_refusal(case, action, position) is None


def quota_refusal(
    status: QuotaStatus, *, agreement: Agreement, day: dt.date, taking: int = 1
) -> TransitionRefused | None:
    """Whether ``taking`` more places fit the quota ``status`` (``quota-period`` when no period
    covers ``day``, ``quota-exceeded`` when fewer than ``taking`` places are left)."""
    if status.period is None:
        return TransitionRefused(
            N_(
                "No quota period of agreement '%(agreement)s' covers %(day)s: "
                "nobody can be selected."
            ),
            params={"agreement": agreement.reference, "day": day.isoformat()},
            rule="quota-period",
        )
    if status.used + taking > status.limit:
        return TransitionRefused(
            N_("The quota of %(quota)s for %(start)s to %(end)s is used up (%(used)s selected)."),
            params={
                "quota": status.limit,
                "start": status.period.start.isoformat(),
                "end": status.period.end.isoformat(),
                "used": status.used,
            },
            rule="quota-exceeded",
        )
    return None


def can_take_quota(status: QuotaStatus, *, agreement: Agreement, day: dt.date) -> bool:
    return quota_refusal(status, agreement=agreement, day=day) is None


def can_write_case_files(user: User, case: Case) -> bool:
    """Add a file to a case or write one of its letters: a caseworker, supervisor or liaison
    officer of a party (``attachment_add`` refuses the others)."""
    position = standing(user, case.agreement)
    return position.organisation_id is not None and bool(position.roles & CASE_WRITERS)
