"""The proposal list gate, the predicates of who may propose a list and check a case's
criteria, and the family predicates next to them: would scheduling this member be refused,
and by which rule? The ``schedule_transfer`` hook raises what these
answer; the family panel on the case page asks the same functions to disable "Schedule the
whole family" with the rule named (one home per rule, issue #16 item 2). Both family rules
apply when the agreement's terms say ``exclusions.families_together`` (the default).
"""

from __future__ import annotations

import datetime as dt
import uuid

from readmit.accounts.access import (
    Standing,
    _parse_id,
    mission_ids,
    organisation_ids,
    standing,
)
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_READERS
from readmit.agreements.models import Agreement, AgreementKind, AgreementStatus
from readmit.agreements.selectors import terms_in_force
from readmit.cases.access import transition_refusal
from readmit.cases.models import Case
from readmit.cases.workflow import WORKERS, Side
from readmit.core.errors import (
    N_,
    ApplicationError,
    Forbidden,
    NotFound,
    Term,
    TransitionRefused,
)
from readmit.core.labels import english
from readmit.relocation.models import ProposalList
from readmit.relocation.selectors import family_members, planned_dates


def access_proposal_list(user: User, list_id: uuid.UUID | str) -> ProposalList:
    """The gate of a proposal list: a list of an agreement the caller's organisation is party
    to (as a case reader); any other answers exactly like a missing one. A consular mission
    sees only the cases routed to it, never a whole list (docs/security.md, ADR 0010)."""
    readers = organisation_ids(user, roles=CASE_READERS) - mission_ids(user, roles=CASE_READERS)
    proposal_list = (
        ProposalList.objects.select_related("agreement", "submitted_by")
        .filter(id=_parse_id(list_id, "list"), agreement__parties__organisation_id__in=readers)
        .distinct()
        .first()
    )
    if proposal_list is None:
        raise NotFound(N_("No such list."))
    return proposal_list


# The agreements that take proposal lists, and whose cases have criteria.
LIST_KINDS = frozenset({AgreementKind.RELOCATION, AgreementKind.RECEPTION})


def list_proposal_refusal(user: User, agreement: Agreement) -> ApplicationError | None:
    """Why ``user`` may not propose a list under ``agreement`` (None: they may). Only the
    sending party's caseworkers and supervisors, under a relocation or reception agreement
    in force."""
    position = standing(user, agreement)
    if position.side != Side.SENDING:
        return Forbidden(N_("Only the sending party proposes lists."), type="wrong-party")
    if not position.roles & WORKERS:
        return Forbidden(
            N_("Submitting a list needs the role caseworker or supervisor."), type="wrong-role"
        )
    if agreement.kind not in LIST_KINDS:
        return TransitionRefused(
            N_(
                "Agreement '%(agreement)s' is a %(kind)s agreement: "
                "lists are proposed only under relocation and reception agreements."
            ),
            params={
                "agreement": agreement.reference,
                "kind": english(AgreementKind(agreement.kind).label).lower(),
            },
            rule="agreement-kind",
        )
    if agreement.status != AgreementStatus.IN_FORCE:
        return TransitionRefused(
            N_(
                "Agreement '%(agreement)s' is %(status)s, "
                "not in force: no list can be proposed under it."
            ),
            params={"agreement": agreement.reference, "status": Term(agreement.status)},
            rule="agreement-not-in-force",
        )
    return None


def can_propose_list(user: User, agreement: Agreement) -> bool:
    return list_proposal_refusal(user, agreement) is None


def has_criteria(case: Case) -> bool:
    """Only relocation and reception cases are weighed against criteria; a readmission case
    has none (its criteria page and "Check again" answer 404, as for a missing case)."""
    return case.kind in LIST_KINDS


def criteria_check_refusal(user: User, case: Case) -> ApplicationError | None:
    """Why ``user`` may not check ``case``'s criteria again (None: they may): a case with
    criteria, a caseworker or supervisor of a party."""
    if not has_criteria(case):
        return NotFound(N_("No such case."))
    position = standing(user, case.agreement)
    if not (position.is_party and position.roles & WORKERS):
        return Forbidden(
            N_("Checking the criteria needs the role caseworker or supervisor."),
            type="wrong-role",
        )
    return None


def can_check_criteria(user: User, case: Case) -> bool:
    return criteria_check_refusal(user, case) is None


def vulnerability_assessment_refusal(user: User, case: Case) -> Forbidden | None:
    """Why ``user`` may not assess the vulnerabilities of ``case``'s person (None: they may):
    only caseworkers and supervisors of the party that holds the person's record."""
    position = standing(user, case.agreement)
    if position.organisation_id != case.person.owner_id:
        return Forbidden(
            N_("Only the party that holds the person's record assesses their vulnerabilities."),
            type="wrong-party",
        )
    if not position.roles & WORKERS:
        return Forbidden(
            N_("Assessing vulnerabilities needs the role caseworker or supervisor."),
            type="wrong-role",
        )
    return None


def can_assess_vulnerabilities(user: User, case: Case) -> bool:
    return vulnerability_assessment_refusal(user, case) is None


def return_plan_refusal(user: User, case: Case) -> Forbidden | None:
    """Why ``user`` may not record the return plan of ``case``'s reception stay (None: they
    may): a caseworker or supervisor of a party."""
    position = standing(user, case.agreement)
    if not (position.is_party and position.roles & WORKERS):
        return Forbidden(
            N_("Recording a return plan needs the role caseworker or supervisor."),
            type="wrong-role",
        )
    return None


def can_record_return_plan(user: User, case: Case) -> bool:
    return return_plan_refusal(user, case) is None


# Where the other members of a family group must be for one of them to be scheduled.
FAMILY_READY = {
    "relocation": frozenset({"selected", "transfer_scheduled", "in_reception"}),
    "reception": frozenset({"proposed", "transfer_scheduled", "in_reception"}),
    "readmission": frozenset(
        {"accepted", "deemed_accepted", "travel_document_issued", "transfer_scheduled"}
    ),
}


def families_together(case: Case, at: dt.datetime) -> bool:
    terms, _ = terms_in_force(case.agreement, at)
    return bool(case.family_group) and terms.exclusions.families_together


def family_ready_refusal(case: Case, *, lock: bool = False) -> TransitionRefused | None:
    """``family-group``: members of a family group are transferred together or not at all;
    another member not ready to travel (or on a legal hold) stops each of them."""
    ready = FAMILY_READY[case.kind]
    blocking = [m for m in family_members(case, lock=lock) if m.state not in ready or m.legal_hold]
    if not blocking:
        return None
    named = ", ".join(
        f"{m.reference} ({'legal hold' if m.legal_hold else m.state})" for m in blocking
    )
    return TransitionRefused(
        N_(
            "Family group '%(group)s' moves together or not at all; not ready: %(named)s. "
            "Schedule the whole family at once when every member can go."
        ),
        params={"group": case.family_group, "named": named},
        rule="family-group",
    )


def family_date_refusal(case: Case, planned_for: dt.datetime) -> TransitionRefused | None:
    """``family-date``: the members of a family group travel on one transfer; a member already
    scheduled for another date and time refuses a different one for the others."""
    dates = planned_dates([m for m in family_members(case) if m.state == "transfer_scheduled"])
    apart = sorted(
        (member.reference, when) for member, when in dates.items() if when != planned_for
    )
    if not apart:
        return None
    named = ", ".join(f"{ref} for {when.isoformat(timespec='minutes')}" for ref, when in apart)
    return TransitionRefused(
        N_(
            "Family group '%(group)s' travels together: %(named)s already. Schedule "
            "%(case)s for the same date and time, not %(planned_for)s."
        ),
        params={
            "group": case.family_group,
            "named": named,
            "case": case.reference,
            "planned_for": planned_for.isoformat(timespec="minutes"),
        },
        rule="family-date",
    )


def family_schedule_refusal(
    case: Case, position: Standing, *, at: dt.datetime
) -> TransitionRefused | Forbidden | None:
    """Whether "schedule the whole family" (``family_schedule_transfer``) from this case is
    certainly refused: the table refuses this member, or another member is not ready."""
    refusal = transition_refusal(case, "schedule_transfer", position)
    if refusal is not None:
        return refusal
    if families_together(case, at):
        return family_ready_refusal(case)
    return None
