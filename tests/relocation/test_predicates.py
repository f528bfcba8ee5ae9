"""One home per rule: the page offers an action exactly to whom the service lets take it."""

from __future__ import annotations

import pytest

from readmit.agreements.access import can_edit_agreement, can_record_diplomacy
from readmit.agreements.services import contact_record
from readmit.core.errors import ApplicationError
from readmit.relocation.access import can_propose_list
from tests.relocation.conftest import kosovo, person, submit

USERS = ["us_caseworker", "us_supervisor", "us_auditor", "xk_caseworker", "xk_liaison"]


@pytest.mark.parametrize("username", USERS)
def test_the_agreement_page_offers_a_list_to_exactly_those_the_service_takes_one_from(
    world, login, username
):
    agreement = kosovo(world)
    user = world.user(username)
    page = login(username).get(f"/agreements/{agreement.id}/")
    assert page.status_code == 200
    offered = page.context["may_propose_list"]
    assert offered == can_propose_list(user, agreement)
    try:
        submit(world, agreement, [person()], acting_user=user)
    except ApplicationError:
        taken = False
    else:
        taken = True
    assert taken == offered
    assert offered == (username in {"us_caseworker", "us_supervisor"})


@pytest.mark.parametrize("username", USERS)
def test_the_lifecycle_panel_offers_editing_and_recording_to_exactly_the_roles_the_services_allow(
    world, login, username
):
    agreement = kosovo(world)
    user = world.user(username)
    links = login(username).get(f"/agreements/{agreement.id}/status/").context["links"]
    assert links.may_amend == can_edit_agreement(user, agreement)
    assert links.may_record == can_record_diplomacy(user, agreement)
    try:
        contact_record(
            agreement=agreement,
            occurred_on=agreement.created_at.date(),
            channel="meeting",
            from_country="US",
            to_country="XK",
            summary="A fictional meeting.",
            source="Minutes 1/2026",
            acting_user=user,
        )
    except ApplicationError as refused:
        assert refused.status == 403
        recorded = False
    else:
        recorded = True
    assert recorded == links.may_record == (username in {"us_supervisor", "xk_liaison"})
    assert links.may_amend == (username == "us_supervisor")
