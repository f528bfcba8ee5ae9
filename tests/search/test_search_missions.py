"""A consular mission finds only the people of the requests routed to it."""

from __future__ import annotations

from readmit.consular.services import consular_request_create
from readmit.search.selectors import search_people
from tests.consular.conftest import consular, consular_terms  # noqa: F401  (fixtures)


def test_a_mission_finds_only_the_people_routed_to_it(consular):  # noqa: F811
    ny, dc = consular.user("ny_liaison"), consular.user("dc_liaison")
    assert search_people(ny, "Marko Vukovic").hits == []
    consular_request_create(
        acting_user=consular.user("us_caseworker"),
        kind="interview",
        requester="sending_state",
        residence_region="US-NY",
        case_id=consular.case.id,
    )
    assert [h.case.id for h in search_people(ny, "Marko Vukovic").hits] == [consular.case.id]
    # Washington is a party to the same agreement, but the request went to New York.
    assert search_people(dc, "Marko Vukovic").hits == []
    assert [h.case.id for h in search_people(consular.user("mfa_caseworker"), "Vuković").hits] == [
        consular.case.id
    ]
