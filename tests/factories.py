"""Builders for a small fictional world: three states, their authorities, users per role.

Tests change one thing at a time against this world (a role, a party), so every permission
test can show both the refusal and the permission.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.accounts.services import organisation_create, user_create
from readmit.agreements.models import Agreement, AgreementStatus
from readmit.agreements.services import agreement_create
from readmit.cases.models import Case
from readmit.cases.services import DocumentInput, PersonInput, case_open, person_create

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_org(country: str, name: str | None = None) -> Organisation:
    n = next(_counter)
    return organisation_create(
        name=name or f"Authority {n} of {country}",
        slug=f"org-{country.lower()}-{n}",
        country_code=country,
        acting_user=None,
    )


def make_user(org: Organisation, *roles: Role, username: str | None = None) -> User:
    n = next(_counter)
    return user_create(
        username=username or f"user{n}",
        password=PASSWORD,
        organisation=org,
        roles=list(roles) or [Role.CASEWORKER],
        acting_user=None,
    )


def make_agreement(
    sending: Organisation,
    receiving: Organisation,
    *,
    kind: str = "relocation",
    terms: dict[str, Any] | None = None,
    status: str = AgreementStatus.IN_FORCE,
    in_force_from: dt.date | None = None,
) -> Agreement:
    n = next(_counter)
    if terms is None and kind == "relocation":
        terms = {"quota": {"limit": 50, "period": "rolling_year"}}
    return agreement_create(
        reference=f"agr-{n}",
        title=f"Agreement {n}",
        kind=kind,
        sending=sending,
        receiving=receiving,
        terms=terms or {},
        acting_user=None,
        status=status,
        in_force_from=in_force_from or dt.date(2026, 1, 1),
    )


def make_case(
    agreement: Agreement,
    *,
    family_name: str = "Testperson",
    given_names: str = "Ana",
    nationality: str = "VE",
    external_id: str = "",
    by: User | None = None,
    **person: Any,
) -> Case:
    sending = agreement.sending_party
    assert sending is not None
    data = PersonInput(
        family_name=family_name,
        given_names=given_names,
        nationalities=[nationality],
        birth_year=person.pop("birth_year", 1990),
        documents=person.pop(
            "documents", [DocumentInput("passport", f"P{next(_counter):07d}", nationality)]
        ),
        **person,
    )
    p = person_create(data=data, owner=sending.organisation, acting_user=by)
    return case_open(
        agreement=agreement,
        person=p,
        acting_user=by,
        organisation=sending.organisation,
        external_id=external_id,
    )


@dataclass
class World:
    """USA sends; Kosovo hosts; Montenegro is a party to nothing here (the outsider)."""

    us: Organisation
    xk: Organisation
    me: Organisation
    users: dict[str, User] = field(default_factory=dict)
    agreement: Agreement | None = None

    def user(self, key: str) -> User:
        return self.users[key]


def make_world() -> World:
    world = World(
        us=make_org("US", "Department of Homeland Security"),
        xk=make_org("XK", "Ministry of Internal Affairs of Kosovo"),
        me=make_org("ME", "Ministry of Interior of Montenegro"),
    )
    for org_key, org in (("us", world.us), ("xk", world.xk), ("me", world.me)):
        for role in Role:
            world.users[f"{org_key}_{role.value}"] = make_user(
                org, role, username=f"{org_key}_{role.value}"
            )
    world.agreement = make_agreement(world.us, world.xk)
    return world
