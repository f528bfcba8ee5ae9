"""A consular mission sees only the cases routed to it (ADR 0010): never a relative's case
through the family panel, never a whole proposal list through the list pages."""

from __future__ import annotations

from django.test import Client

from readmit.agreements.services import agreement_party_add
from readmit.cases.models import Case
from readmit.consular.services import consular_request_create
from tests.factories import SYSTEM, log_in, make_case
from tests.relocation.conftest import kosovo, person, submit


def _routed_to_new_york(consular) -> None:  # type: ignore[no-untyped-def]
    consular_request_create(
        acting_user=consular.user("us_caseworker"),
        kind="interview",
        requester="sending_state",
        residence_region="US-NY",
        case_id=consular.case.id,
    )


def test_the_family_panel_shows_a_mission_only_the_relatives_routed_to_it(consular):
    relative = make_case(consular.agreement, family_name="Vuković", given_names="Jelena")
    Case.objects.filter(id__in=[consular.case.id, relative.id]).update(family_group="FAM-ME")
    _routed_to_new_york(consular)

    mission = log_in(Client(), consular.user("ny_liaison"))
    page = mission.get(f"/cases/{consular.case.id}/").content.decode()
    assert 'id="family-panel"' in page and consular.case.reference in page
    assert relative.reference not in page
    assert mission.get(f"/cases/{relative.id}/").status_code == 404

    # The ministry that is party to the whole agreement sees both members.
    ministry = log_in(Client(), consular.user("me_caseworker"))
    page = ministry.get(f"/cases/{consular.case.id}/").content.decode()
    assert consular.case.reference in page and relative.reference in page


def test_a_mission_party_to_the_agreement_cannot_open_a_proposal_list(consular):
    agreement = kosovo(consular.world)
    agreement_party_add(
        agreement=agreement, organisation=consular.ny, side="receiving", acting_user=SYSTEM
    )
    result = submit(consular.world, agreement, [person(), person()])
    list_id = result.proposal_list.id

    mission = log_in(Client(), consular.user("ny_liaison"))
    assert mission.get(f"/lists/{list_id}/").status_code == 404
    assert mission.get(f"/lists/{list_id}/quota-impact/").status_code == 404
    receiving = log_in(Client(), consular.user("xk_supervisor"))
    assert receiving.get(f"/lists/{list_id}/").status_code == 200
