"""Cases in the states each letter is written in, through the real transitions."""

from __future__ import annotations

from typing import Any

import pytest

from readmit.agreements.services import site_create
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from tests.exchange.conftest import api  # noqa: F401 (the fixture)
from tests.factories import SYSTEM, make_agreement, make_case
from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload

# Fictional people, one name per script.
CYRILLIC = ("Милица", "Вукотић")
ARABIC = ("فاطمة", "الزهراء")
LATIN = ("Ana María", "Quintero Núñez")


def named(given: str, family: str) -> str:
    return f"{given} {family}"


@pytest.fixture
def relocation(world: Any) -> Any:
    return kosovo(world)


@pytest.fixture
def readmission(world: Any) -> Any:
    return make_agreement(world.us, world.me, kind="readmission", terms={})


def in_state(world: Any, agreement: Any, state: str, names: tuple[str, str] = LATIN) -> Case:
    """A case of ``agreement`` moved to ``state`` by the parties' own users."""
    if agreement.kind == "readmission":
        case = make_case(agreement, given_names=names[0], family_name=names[1], nationality="ME")
        if state == "accepted":
            case_transition(
                case_id=case.id, action="accept", acting_user=world.user("me_supervisor")
            )
        elif state == "rejected":
            case_transition(
                case_id=case.id,
                action="reject",
                acting_user=world.user("me_supervisor"),
                reason="Nationality not shown",
            )
        return Case.objects.get(id=case.id)
    listed = person(given_names=names[0], family_name=names[1])
    case = submit(world, agreement, [listed]).cases[0]
    if state == "declined":
        act(case, "decline", world.user("xk_supervisor"), reason="Outside the agreed criteria")
    if state in {"selected", "transfer_scheduled", "in_reception"}:
        select(world, case)
    if state in {"transfer_scheduled", "in_reception"}:
        act(
            case,
            "schedule_transfer",
            world.user("us_caseworker"),
            payload=transfer_payload(notice_language="ht"),
        )
    if state == "in_reception":
        site = site_create(
            agreement=agreement,
            name="Reception centre",
            country_code="XK",
            capacity=5,
            acting_user=SYSTEM,
        )
        act(case, "record_arrival", world.user("xk_caseworker"), payload={"site": str(site.id)})
    return Case.objects.get(id=case.id)
