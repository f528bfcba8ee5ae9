"""A consular world: the USA sends, Montenegro's interior ministry receives, its foreign
ministry's missions in New York and Washington help; Kosovo is the other state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.accounts.services import organisation_create
from readmit.agreements.models import Agreement
from readmit.agreements.services import agreement_party_add
from readmit.cases.models import Case
from readmit.consular.services import district_set
from tests.factories import SYSTEM, World, make_agreement, make_case, make_org, make_user


@dataclass
class Consular:
    world: World
    mfa: Organisation
    ny: Organisation
    dc: Organisation
    agreement: Agreement
    case: Case
    users: dict[str, User]

    def user(self, key: str) -> User:
        return self.users.get(key) or self.world.user(key)


def make_mission(slug: str, name: str, parent: Organisation) -> Organisation:
    return organisation_create(
        name=name, slug=slug, country_code="ME", kind="mission", parent=parent, acting_user=SYSTEM
    )


@pytest.fixture
def consular_terms() -> dict[str, Any] | None:
    """The readmission agreement's terms; a test parametrizes this to change them."""
    return None


@pytest.fixture
def consular(world: World, consular_terms: dict[str, Any] | None) -> Consular:
    mfa = make_org("ME", "Ministry of Foreign Affairs of Montenegro")
    ny = make_mission("t-me-ny", "Consulate General in New York", mfa)
    dc = make_mission("t-me-dc", "Embassy in Washington", mfa)
    district_set(mission=ny, district=["US-NY", "US-NJ", "US-CT"], acting_user=SYSTEM)
    district_set(mission=dc, district=["US-DC", "US-VA", "US-MD"], acting_user=SYSTEM)
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=consular_terms)
    for org in (mfa, ny, dc):
        agreement_party_add(
            agreement=agreement, organisation=org, side="receiving", acting_user=SYSTEM
        )
    users = {
        "ny_liaison": make_user(ny, Role.LIAISON, username="ny_liaison"),
        "ny_liaison2": make_user(ny, Role.LIAISON, username="ny_liaison2"),
        "ny_auditor": make_user(ny, Role.AUDITOR, username="ny_auditor"),
        "dc_liaison": make_user(dc, Role.LIAISON, username="dc_liaison"),
        "mfa_caseworker": make_user(mfa, Role.CASEWORKER, username="mfa_caseworker"),
        "mfa_administrator": make_user(mfa, Role.ADMINISTRATOR, username="mfa_administrator"),
    }
    case = make_case(agreement, family_name="Vuković", given_names="Marko", nationality="ME")
    return Consular(world, mfa, ny, dc, agreement, case, users)
