"""The gates. Every read of an agreement, case or person goes through one of these.

An organisation sees only records of agreements it is party to; a record that exists but is
not the caller's answers exactly like one that does not exist (``NotFound``), so ids cannot
be probed. Administrators manage users, not cases: they see agreements, never case files.

A consular mission (``Organisation.kind == "mission"``) is a party to its state's agreements
but sees only the consular requests routed to it, and only the cases and people those
requests link (the mission gate, ``visible_consular_requests``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from readmit.accounts.models import Membership, OrganisationKind, User
from readmit.accounts.roles import CASE_READERS, Role
from readmit.core.errors import N_, NotFound

if TYPE_CHECKING:
    from readmit.agreements.models import Agreement
    from readmit.cases.models import Case, Person
    from readmit.cases.workflow import Side
    from readmit.consular.models import ConsularRequest


@dataclass(frozen=True)
class Standing:
    """What the caller is in one agreement: the side their organisation is on, their roles."""

    organisation_id: uuid.UUID | None
    side: Side | None
    roles: frozenset[Role]

    @property
    def is_party(self) -> bool:
        return self.side is not None


def memberships(user: User) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_readmit_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._readmit_memberships = cached  # type: ignore[attr-defined]
    return cached


def organisation_ids(user: User, *, roles: frozenset[Role] | None = None) -> set[uuid.UUID]:
    return {m.organisation_id for m in memberships(user) if roles is None or Role(m.role) in roles}


def roles_in(user: User, organisation_id: uuid.UUID) -> frozenset[Role]:
    return frozenset(
        Role(m.role) for m in memberships(user) if m.organisation_id == organisation_id
    )


def mission_ids(user: User, *, roles: frozenset[Role] | None = None) -> set[uuid.UUID]:
    """The caller's organisations that are consular missions (they see only what is routed
    to them)."""
    return {
        m.organisation_id
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.MISSION
        and (roles is None or Role(m.role) in roles)
    }


NO_SUCH_RECORD = N_("No such record.")
# What a malformed id answers, by what it names (one whole sentence each: a page translates it).
_NO_SUCH = {
    "agreement": N_("No such agreement."),
    "case": N_("No such case."),
    "person": N_("No such person."),
    "consular request": N_("No such consular request."),
    "screening run": N_("No such screening run."),
    "match": N_("No such match."),
    "duplicate candidate": N_("No such duplicate candidate."),
    "list": N_("No such list."),
    "organisation": N_("No such organisation."),
    "notification": N_("No such notification."),
    "import": N_("No such import."),
}


def _parse_id(value: uuid.UUID | str, what: str) -> uuid.UUID:
    """A malformed id answers exactly like a missing or foreign one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        refusal = _NO_SUCH.get(what, NO_SUCH_RECORD)
        raise NotFound(refusal) from None


# Agreements ------------------------------------------------------------------------------


def visible_agreements(user: User) -> QuerySet[Agreement]:
    from readmit.agreements.models import Agreement

    orgs = organisation_ids(user)
    return Agreement.objects.filter(parties__organisation_id__in=orgs).distinct()


def access_agreement(user: User, agreement_id: uuid.UUID | str) -> Agreement:
    agreement = visible_agreements(user).filter(id=_parse_id(agreement_id, "agreement")).first()
    if agreement is None:
        raise NotFound(N_("No such agreement."))
    return agreement


def standing(user: User, agreement: Agreement) -> Standing:
    """The caller's side and roles in this agreement (no side if not a party)."""
    from readmit.cases.workflow import Side

    orgs = organisation_ids(user)
    for party in agreement.parties.all():
        if party.organisation_id in orgs:
            return Standing(
                party.organisation_id, Side(party.side), roles_in(user, party.organisation_id)
            )
    return Standing(None, None, frozenset())


# Cases and people ------------------------------------------------------------------------


def _case_scope(user: User, prefix: str = "") -> Q:
    """Cases of agreements the caller's organisations are party to; for a mission, only the
    cases a consular request routed to it links."""
    orgs = organisation_ids(user, roles=CASE_READERS)
    missions = mission_ids(user, roles=CASE_READERS)
    scope = Q(**{f"{prefix}agreement__parties__organisation_id__in": orgs - missions})
    if missions:
        scope |= Q(
            **{
                f"{prefix}agreement__parties__organisation_id__in": missions,
                f"{prefix}consular_requests__routed_to_id__in": missions,
            }
        )
    return scope


def visible_cases(user: User) -> QuerySet[Case]:
    """The same cases as ``_case_scope``, by subqueries on the parties and the consular
    requests instead of joins: no ``DISTINCT``, so a page of a million cases walks an index
    in its order and stops (docs/performance.md)."""
    from readmit.agreements.models import AgreementParty
    from readmit.cases.models import Case
    from readmit.consular.models import ConsularRequest

    orgs = organisation_ids(user, roles=CASE_READERS)
    missions = mission_ids(user, roles=CASE_READERS)
    parties = AgreementParty.objects.order_by()
    scope = Q(
        agreement_id__in=parties.filter(organisation_id__in=orgs - missions).values("agreement_id")
    )
    if missions:
        scope |= Q(
            agreement_id__in=parties.filter(organisation_id__in=missions).values("agreement_id"),
            id__in=ConsularRequest.objects.order_by()
            .filter(routed_to_id__in=missions, case_id__isnull=False)
            .values("case_id"),
        )
    return Case.objects.filter(scope)


def access_case(user: User, case_id: uuid.UUID | str, *, for_update: bool = False) -> Case:
    from readmit.cases.models import Case

    pk = _parse_id(case_id, "case")
    if not visible_cases(user).filter(id=pk).exists():
        raise NotFound(N_("No such case."))
    queryset = Case.objects.select_related("agreement", "person")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(id=pk)


def visible_people(user: User) -> QuerySet[Person]:
    from readmit.cases.models import Person

    orgs = organisation_ids(user, roles=CASE_READERS)
    missions = mission_ids(user, roles=CASE_READERS)
    return Person.objects.filter(
        Q(owner_id__in=orgs)
        | _case_scope(user, "cases__")
        | Q(consular_requests__routed_to_id__in=missions)
    ).distinct()


def access_person(user: User, person_id: uuid.UUID | str) -> Person:
    person = visible_people(user).filter(id=_parse_id(person_id, "person")).first()
    if person is None:
        raise NotFound(N_("No such person."))
    return person


# Consular requests (the mission gate) -----------------------------------------------------


def visible_consular_requests(user: User) -> QuerySet[ConsularRequest]:
    """A mission sees the requests routed to it; a ministry those routed to it or to its
    missions; any organisation the requests it asked. Administrators see none."""
    from readmit.consular.models import ConsularRequest

    orgs = organisation_ids(user, roles=CASE_READERS)
    missions = mission_ids(user, roles=CASE_READERS)
    others = orgs - missions
    return ConsularRequest.objects.filter(
        Q(routed_to_id__in=orgs)
        | Q(ministry_id__in=others)
        | Q(routed_to__parent_id__in=others)
        | Q(requested_by_id__in=others)
    ).distinct()


def access_consular_request(
    user: User, request_id: uuid.UUID | str, *, for_update: bool = False
) -> ConsularRequest:
    from readmit.consular.models import ConsularRequest

    pk = _parse_id(request_id, "consular request")
    if not visible_consular_requests(user).filter(id=pk).exists():
        raise NotFound(N_("No such consular request."))
    queryset = ConsularRequest.objects.select_related(
        "person", "case", "routed_to", "ministry", "requested_by", "owner"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(id=pk)
