"""Decision support on a proposal list: counts, filters, the quota a selection would use, and
the bulk actions (recommend, decline, select with one reason).

Reads: ``list_board`` (the rows, their criteria outcome, screening state and nationalities,
the counts, and for each bulk action the refusal that is certain before the click, from the
predicates ``case_transition`` itself raises: ``readmit.cases.access``) and
``selection_quota_impact`` (from the quota service ``agreements.selectors.quota_status``).

Write: ``list_bulk_transition`` takes each chosen case through ``case_transition`` one by
one, in its own transaction, so each is checked and audited exactly as a single action; the
refusals are listed per case with the rule, nothing is undone or hidden, and one
``list_bulk_action`` audit row records the request and its outcome (ids and rules only).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from readmit.accounts.access import organisation_ids, standing
from readmit.accounts.models import User
from readmit.agreements.models import Agreement, AgreementKind
from readmit.agreements.quota import QuotaStatus
from readmit.agreements.selectors import quota_status
from readmit.agreements.sharing import sharing_policy
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.access import action_refusal, quota_refusal, transition_refusal
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from readmit.cases.workflow import workflow_for
from readmit.core import clock
from readmit.core.errors import (
    N_,
    ApplicationError,
    Forbidden,
    Term,
    TransitionRefused,
    ValidationFailed,
)
from readmit.core.models import Country
from readmit.relocation.models import CriteriaEvaluation, ProposalList
from readmit.relocation.selectors import latest_evaluations
from readmit.screening.selectors import watchlist_statuses

BULK_ACTIONS = ("recommend", "decline", "select")
OUTCOMES = ("pass", "fail", "unknown", "not_evaluated")
SCREENING_STATES = ("no_match", "pending_review", "confirmed_match", "not_screened")
# A bulk recommendation recommends selection; a case to decline is declined by a supervisor.
BULK_PAYLOADS: dict[str, dict[str, Any]] = {"recommend": {"recommendation": "select"}}


@dataclass(frozen=True)
class ListFilters:
    outcome: str = ""
    screening: str = ""
    nationality: str = ""
    family: str = ""  # a family group, or "any" for every case in a family

    def keeps(self, row: ListRow) -> bool:
        case = row.case
        return (
            (not self.outcome or row.outcome == self.outcome)
            and (not self.screening or row.screening == self.screening)
            and (not self.nationality or self.nationality in row.nationalities)
            and (
                not self.family
                or (self.family == "any" and bool(case.family_group))
                or case.family_group == self.family
            )
        )


@dataclass
class ListRow:
    case: Case
    evaluation: CriteriaEvaluation | None
    results: list[dict[str, str]]
    outcome: str  # pass, fail, unknown, not_evaluated
    screening: str  # SCREENING_STATES
    nationalities: list[str]
    # For each bulk action, what certainly refuses it now (None: the rules will decide).
    refusals: dict[str, ApplicationError | None] = field(default_factory=dict)


@dataclass
class ListBoard:
    rows: list[ListRow]  # after the filters
    total: int
    counts: dict[str, int]  # criteria outcome → cases, over the whole list
    nationalities: list[tuple[str, str]]  # (code, name) present in the list
    families: list[str]
    quota: QuotaStatus | None


def _screening_state(status: str | None) -> str:
    return status or "not_screened"


def list_board(user: User, proposal_list: ProposalList, filters: ListFilters) -> ListBoard:
    """The list's rows for the caller (after the list gate), with the counts over all rows and
    the rows the filters keep."""
    agreement = proposal_list.agreement
    cases = [
        e.case
        for e in proposal_list.entries.select_related("case", "case__person")
        .prefetch_related(Prefetch("case__person__nationalities"))
        .order_by("row")
    ]
    for case in cases:
        case.agreement = agreement  # one agreement: no query per row
    evaluations = latest_evaluations(cases)
    statuses = watchlist_statuses(cases)
    position = standing(user, agreement)
    terms, orgs = agreement.parsed_terms, organisation_ids(user)
    quota = quota_status(agreement) if agreement.kind == AgreementKind.RELOCATION else None
    quota_full = (
        quota_refusal(quota, agreement=agreement, day=clock.today()) if quota is not None else None
    )
    actions = [a for a in BULK_ACTIONS if a in workflow_for(agreement.kind).actions]
    rows: list[ListRow] = []
    for case in cases:
        evaluation = evaluations.get(case.id)
        sharing = sharing_policy(terms, is_owner=case.person.owner_id in orgs)
        refusals: dict[str, ApplicationError | None] = {}
        for action in actions:
            refusal = transition_refusal(case, action, position)
            if refusal is None and action == "select":
                refusal = quota_full
            refusals[action] = refusal
        rows.append(
            ListRow(
                case=case,
                evaluation=evaluation,
                results=sharing.results(evaluation.results) if evaluation else [],
                outcome=evaluation.outcome if evaluation else "not_evaluated",
                screening=_screening_state(statuses.get(case.id)),
                nationalities=sorted(c.code for c in case.person.nationalities.all()),
                refusals=refusals,
            )
        )
    codes = sorted({code for row in rows for code in row.nationalities})
    names = dict(Country.objects.filter(code__in=codes).values_list("code", "name"))
    counts = Counter(row.outcome for row in rows)
    return ListBoard(
        rows=[row for row in rows if filters.keeps(row)],
        total=len(rows),
        counts={outcome: counts.get(outcome, 0) for outcome in OUTCOMES},
        nationalities=[(code, names.get(code, code)) for code in codes],
        families=sorted({c.family_group for c in cases if c.family_group}),
        quota=quota,
    )


# A case in these states takes a quota place when it is selected; one further on holds one
# already (or never will), so it does not count in what a selection would use.
TAKES_A_PLACE = frozenset({"proposed", "recommended"})


@dataclass(frozen=True)
class QuotaImpact:
    selecting: int
    status: QuotaStatus | None
    refusal: TransitionRefused | None  # what refuses selecting them all (quota-exceeded ...)
    not_counted: int = 0  # ticked cases that hold a place already or cannot be selected

    @property
    def left(self) -> int | None:
        """Places left once these are selected; None without a quota."""
        if self.status is None:
            return None
        return self.status.remaining - self.selecting

    @property
    def refused(self) -> int:
        """How many of them the quota would refuse."""
        if self.status is None or self.refusal is None:
            return 0
        return min(self.selecting, max(self.selecting - self.status.remaining, 0))


def selection_quota_impact(
    agreement: Agreement, selecting: int, *, not_counted: int = 0
) -> QuotaImpact:
    """What selecting ``selecting`` more cases would leave of the quota in force today."""
    status = quota_status(agreement) if agreement.kind == AgreementKind.RELOCATION else None
    refusal = None
    if status is not None and selecting:
        refusal = quota_refusal(status, agreement=agreement, day=clock.today(), taking=selecting)
    return QuotaImpact(selecting=selecting, status=status, refusal=refusal, not_counted=not_counted)


def list_selection_quota_impact(
    proposal_list: ProposalList, case_ids: Sequence[uuid.UUID | str]
) -> QuotaImpact:
    """:func:`selection_quota_impact` of the ticked cases of the list that would take a place
    (``TAKES_A_PLACE``); ids of other lists are ignored."""
    wanted = {str(i) for i in case_ids}
    states = [
        state
        for case_id, state in proposal_list.entries.values_list("case_id", "case__state")
        if str(case_id) in wanted
    ]
    taking = sum(1 for state in states if state in TAKES_A_PLACE)
    return selection_quota_impact(proposal_list.agreement, taking, not_counted=len(states) - taking)


@dataclass(frozen=True)
class BulkRefusal:
    case: Case
    rule: str
    message: str


@dataclass
class BulkOutcome:
    action: str
    done: list[Case] = field(default_factory=list)
    refused: list[BulkRefusal] = field(default_factory=list)


def _chosen(proposal_list: ProposalList, case_ids: Sequence[uuid.UUID | str]) -> list[Case]:
    """The chosen cases in list order; each must be a case of the list."""
    wanted = list(dict.fromkeys(str(i).strip() for i in case_ids if str(i).strip()))
    if not wanted:
        raise ValidationFailed(
            N_("Choose at least one case of the list."),
            errors=[{"loc": ["cases"], "msg": N_("choose at least one case")}],
        )
    cases = {
        str(e.case.id): e.case for e in proposal_list.entries.select_related("case").order_by("row")
    }
    foreign = [i for i in wanted if i not in cases]
    if foreign:
        raise ValidationFailed(
            N_("%(count)s of the chosen cases are not cases of list %(list)s; nothing was done."),
            params={"count": len(foreign), "list": proposal_list.reference},
            errors=[{"loc": ["cases"], "msg": N_("not a case of this list")}],
        )
    return [case for key, case in cases.items() if key in set(wanted)]


def list_bulk_transition(
    *,
    proposal_list: ProposalList,
    case_ids: Sequence[uuid.UUID | str],
    action: str,
    reason: str,
    acting_user: User,
) -> BulkOutcome:
    """Take ``action`` with one ``reason`` on each chosen case of the list (the caller passed
    the list gate). A caller who may never take the action (wrong party, wrong role) is
    refused as a whole (``Forbidden``), as is bad input (``ValidationFailed`` naming the field),
    before any case is touched; after that each case goes through ``case_transition`` on its
    own and is either done or listed with the rule that refused it."""
    agreement = proposal_list.agreement
    workflow = workflow_for(agreement.kind)
    if action not in BULK_ACTIONS or action not in workflow.actions:
        offered = [a for a in BULK_ACTIONS if a in workflow.actions]
        raise ValidationFailed(
            N_("'%(action)s' is not a bulk action on this list; choose one of: %(offered)s."),
            params={"action": action, "offered": ", ".join(offered)},
            errors=[{"loc": ["action"], "msg": f"one of {', '.join(offered)}"}],
        )
    position = standing(acting_user, agreement)
    forbidden = action_refusal(agreement.kind, action, position)
    if forbidden is not None:
        raise forbidden
    reason = reason.strip()
    if workflow.get(action).needs_reason and not reason:
        raise ValidationFailed(
            N_("'%(action)s' needs a reason."),
            params={"action": Term(action)},
            errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
        )
    cases = _chosen(proposal_list, case_ids)
    outcome = BulkOutcome(action=action)
    for case in cases:
        try:
            done = case_transition(
                case_id=case.id,
                action=action,
                acting_user=acting_user,
                reason=reason,
                payload=BULK_PAYLOADS.get(action),
            )
        except (TransitionRefused, Forbidden, ValidationFailed) as exc:
            rule = exc.rule if isinstance(exc, TransitionRefused) else exc.type
            outcome.refused.append(BulkRefusal(case=case, rule=rule, message=exc.message))
        else:
            outcome.done.append(done)
    with transaction.atomic():  # the cases each committed on their own; this records the request
        audit_record(
            event_type=AuditEventType.LIST_BULK_ACTION,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=agreement.id,
            object_type="proposal_list",
            object_id=str(proposal_list.id),
            data={
                "action": action,
                "done": [str(c.id) for c in outcome.done],
                "refused": [{"case": str(r.case.id), "rule": r.rule} for r in outcome.refused],
            },
        )
    return outcome
