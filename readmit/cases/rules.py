"""Rules that need data, attached to workflow actions as transition hooks.

Each hook runs inside ``case_transition``'s transaction, after the table allowed the move.
"""

from __future__ import annotations

from readmit.agreements.models import Agreement
from readmit.agreements.quota import QuotaStatus, period_containing
from readmit.agreements.selectors import terms_at
from readmit.cases.access import quota_refusal
from readmit.cases.models import QuotaAllocation
from readmit.cases.services import TAKE, TransitionContext, register_transition_hook


def quota_allocate(context: TransitionContext) -> None:
    """A selection takes one place of the quota of the period it falls in.

    The agreement row is locked first, so concurrent selections (several processes on
    PostgreSQL) queue here and each counts what the previous ones committed: the quota can
    never be exceeded.
    """
    case = context.case
    agreement = Agreement.objects.select_for_update().get(id=case.agreement_id)
    # The terms in force at the moment of the decision, not today's (amendments are versions).
    quota = terms_at(agreement, context.at).quota
    if quota is None:
        return
    day = context.at.date()
    period = period_containing(
        quota, day=day, in_force_from=agreement.in_force_from, ends_on=agreement.ends_on
    )
    used = 0
    if period is not None:
        used = QuotaAllocation.objects.filter(
            agreement=agreement, period_start=period.start, released_at__isnull=True
        ).count()
    # One home per rule: the list page asks the same predicate before the click.
    refusal = quota_refusal(
        QuotaStatus(limit=quota.limit, used=used, period=period), agreement=agreement, day=day
    )
    if refusal is not None:
        raise refusal
    assert period is not None
    QuotaAllocation.objects.create(
        agreement=agreement, case=case, period_start=period.start, period_end=period.end
    )
    context.audit_data["quota"] = {
        "period_start": period.start.isoformat(),
        "used_after": used + 1,
        "limit": quota.limit,
    }


def quota_release(context: TransitionContext) -> None:
    """A withdrawal or decline frees only the place this case took, if it took one."""
    released = QuotaAllocation.objects.filter(case=context.case, released_at__isnull=True).update(
        released_at=context.at, release_reason=context.transition.action
    )
    if released:
        context.audit_data["quota_released"] = released


def register() -> None:
    register_transition_hook("relocation", "select", quota_allocate, order=TAKE)
    for action in ("withdraw", "decline"):
        register_transition_hook("relocation", action, quota_release)
