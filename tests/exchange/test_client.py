"""readmit.client against a real server over HTTP (pytest-django's live server): problems are
typed exceptions, every create carries an Idempotency-Key, transitions carry If-Match."""

from __future__ import annotations

import pytest

from readmit.client import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ReadmitClient,
    Unauthorized,
    ValidationFailed,
)
from tests.relocation.conftest import kosovo, person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_invalid_list_is_raised_as_a_typed_problem_naming_each_field_and_creates_nothing(
    world, partner
):
    agreement = kosovo(world)
    us = partner(world.user("us_caseworker"))
    with pytest.raises(ValidationFailed) as raised:
        us.list_submit(
            str(agreement.id),
            reference="US-XK-BAD",
            people=[person(), person(birth_date="1988-13-45", sex="Q")],
        )
    problem = raised.value
    assert problem.status == 422
    assert problem.type == "urn:readmit:problem:validation-failed"
    assert problem.slug == "validation-failed"
    assert problem.title and problem.detail
    assert any(f.endswith("people.1.birth_date") for f in problem.fields()), problem.fields()
    assert any(f.endswith("people.1.sex") for f in problem.fields()), problem.fields()
    assert list(us.cases(agreement=str(agreement.id))) == []


def test_every_create_sends_a_fresh_idempotency_key_and_the_same_key_answers_the_same_list(
    world, partner
):
    agreement = kosovo(world)
    us = partner(world.user("us_caseworker"))
    first = us.list_submit(str(agreement.id), reference="US-XK-A", people=[person()])
    second = us.list_submit(str(agreement.id), reference="US-XK-B", people=[person()])
    assert first["id"] != second["id"]
    # A retry after a lost answer, with the key of the first attempt, creates nothing new.
    people = [person()]
    again = us.list_submit(
        str(agreement.id), reference="US-XK-C", people=people, idempotency_key="retry-1"
    )
    replay = us.list_submit(
        str(agreement.id), reference="US-XK-C", people=people, idempotency_key="retry-1"
    )
    assert replay["id"] == again["id"]
    assert len(list(us.cases(agreement=str(agreement.id)))) == 3
    # The same key with another body is refused, not silently answered with the first list.
    with pytest.raises(Conflict) as reused:
        us.list_submit(
            str(agreement.id), reference="US-XK-D", people=[person()], idempotency_key="retry-1"
        )
    assert reused.value.slug == "idempotency-key-reused"


def test_a_transition_carries_the_etag_last_seen_and_a_stale_one_is_refused_unchanged(
    world, partner
):
    agreement = kosovo(world)
    us = partner(world.user("us_caseworker"))
    sent = us.list_submit(str(agreement.id), reference="US-XK-E", people=[person()])
    case_id = sent["cases"][0]["id"]
    worker = partner(world.user("xk_caseworker"))
    read = worker.case(case_id)
    assert worker.etags[case_id]
    # The sending state places a legal hold in between: the caseworker's ETag is now stale.
    us.transition(case_id, "place_legal_hold", reason="Interim measure", payload=_hold())
    with pytest.raises(PreconditionFailed) as raised:
        worker.transition(case_id, "recommend", payload={"recommendation": "select"})
    assert raised.value.status == 412
    fresh = worker.case(case_id)
    assert fresh["version"] == read["version"] + 1
    assert fresh["state"] == "proposed" and fresh["legal_hold"] is True
    # Having read the case again, the caseworker decides again, with the new ETag.
    after = worker.transition(case_id, "recommend", payload={"recommendation": "decline"})
    assert after["version"] == read["version"] + 2


def _hold() -> dict[str, str]:
    return {
        "kind": "interim_measure",
        "authority": "European Court of Human Rights",
        "reference": "Rule 39, application 1234/26 (fictional)",
        "decided_on": "2024-03-01",
    }


def test_an_outsider_gets_not_found_a_wrong_role_forbidden_and_a_bad_token_unauthorized(
    world, partner, live_server
):
    agreement = kosovo(world)
    us = partner(world.user("us_caseworker"))
    sent = us.list_submit(str(agreement.id), reference="US-XK-O", people=[person()])
    case_id = sent["cases"][0]["id"]
    with pytest.raises(NotFound):
        partner(world.user("me_caseworker")).case(case_id)
    with pytest.raises(NotFound):
        partner(world.user("me_caseworker")).list_submit(
            str(agreement.id), reference="ME-X", people=[person()]
        )
    with pytest.raises(Forbidden):
        partner(world.user("us_auditor")).list_submit(
            str(agreement.id), reference="US-XK-AUD", people=[person()]
        )
    with pytest.raises(Unauthorized):
        ReadmitClient(live_server.url, "not-a-token").agreements()


def test_the_client_edits_the_person_with_its_etag_and_adds_and_removes_a_document(world, partner):
    agreement = kosovo(world)
    us = partner(world.user("us_caseworker"))
    sent = us.list_submit(str(agreement.id), reference="US-XK-P", people=[person()])
    case_id = sent["cases"][0]["id"]
    read = us.person(case_id)
    changed = us.person_update(
        case_id,
        {"given_names": "Јелена", "given_names_latin": "Jelena", "languages": ["sr"]},
    )
    assert changed["given_names"] == "Јелена" and changed["etag"] != read["etag"]
    with pytest.raises(PreconditionFailed):
        us.person_update(case_id, {"family_name": "Stale"}, if_match=read["etag"])
    added = us.person_document_add(
        case_id, {"type": "id_card", "number": "ID 99 1", "issuing_country": "XK"}
    )
    assert [d["id"] for d in us.person(case_id)["documents"] or []][-1] == added["id"]
    us.person_document_remove(case_id, added["id"])
    assert added["id"] not in [d["id"] for d in us.person(case_id)["documents"] or []]
    assert us.person(case_id)["family_name"] == read["family_name"]
    with pytest.raises(Forbidden):
        partner(world.user("xk_caseworker")).person_update(case_id, {"family_name": "X"})
