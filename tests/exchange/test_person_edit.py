"""Changing the case's person through the API: the party that recorded the person edits
names (as written and in Latin form), other names, birth, sex, nationalities, languages and
documents, behind the case gate, ``If-Match`` and the token's scope; every change audited;
a change of what screening matches on screens the case again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db.models import Q

from readmit.accounts.models import User
from readmit.accounts.services import token_create
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, EvidenceItem, IdentityDocument, Person
from readmit.cases.services import DocumentInput
from readmit.core.sealed import DocumentNumberIndexField
from readmit.screening.duplicates import (
    duplicate_mark_distinct,
    duplicates_find,
    duplicates_find_for_person,
)
from readmit.screening.models import (
    DuplicateCandidate,
    DuplicateKind,
    RunStatus,
    RunTrigger,
    ScreeningMatch,
    ScreeningRun,
)
from readmit.screening.services import screening_run_start, watchlist_import
from tests.exchange.conftest import Api, assert_problem
from tests.factories import SYSTEM, make_case
from tests.screening_lists import SAMPLES, fictional_list


@pytest.fixture
def case(world):  # type: ignore[no-untyped-def]
    return make_case(
        world.agreement,
        by=world.user("us_caseworker"),
        given_names="Ana",
        family_name="Testperson",
        languages=["es"],
        documents=[DocumentInput("passport", "P7700123", "VE")],
    )


def person_path(case: Case) -> str:
    return f"/api/v1/cases/{case.id}/person"


def etag(api: Api, case: Case, user: User) -> str:
    response = api.get(person_path(case), user)
    assert response.status_code == 200, response.content
    assert response["ETag"] == response.json()["etag"]
    return str(response["ETag"])


def patch(
    api: Api,
    case: Case,
    user: User | None,
    body: Any,
    *,
    if_match: str | None = "",
    token: str | None = None,
) -> Any:
    """``if_match=""`` sends the person's current ETag (read as the owner), None sends none."""
    headers: dict[str, str] = {}
    if if_match == "":
        owner = User.objects.get(username="us_caseworker")
        if_match = str(api.get(person_path(case), owner).json()["etag"])
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    auth = token if token is not None else api.token(user) if user is not None else ""
    return api.client.patch(
        person_path(case),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {auth}",
        **headers,
    )


def audit_rows(case: Case) -> int:
    return AuditEvent.objects.filter(case_id=case.id).count()


# The owner edits --------------------------------------------------------------------------


def test_the_owner_changes_the_names_to_cyrillic_with_their_latin_form_and_the_record_shows_them(
    api, world, case
):
    owner = world.user("us_caseworker")
    before = etag(api, case, owner)
    version = Case.objects.get(id=case.id).version
    response = patch(
        api,
        case,
        owner,
        {
            "given_names": "Марко",
            "family_name": "Перовић",
            "given_names_latin": "Marko",
            "family_name_latin": "Perović",
            "other_names": [{"kind": "alias", "given_names": "Marco", "family_name": "Perovic"}],
            "birth_date": "1988-03",
            "place_of_birth": "Подгорица",
            "sex": "M",
            "nationalities": ["MNE", "rs"],
            "languages": ["sr", "en"],
        },
        if_match=before,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert response["ETag"] == body["etag"] != before
    assert (body["given_names"], body["family_name"]) == ("Марко", "Перовић")
    assert (body["given_names_latin"], body["family_name_latin"]) == ("Marko", "Perović")
    assert body["other_names"] == [
        {"kind": "alias", "given_names": "Marco", "family_name": "Perovic"}
    ]
    assert body["birth_date"] == "1988-03"
    assert body["nationalities"] == ["ME", "RS"]
    read = api.get(person_path(case), owner).json()
    assert read["family_name"] == "Перовић" and read["languages"] == ["sr", "en"]
    assert read["place_of_birth"] == "Подгорица" and read["sex"] == "M"
    stored = Person.objects.get(id=case.person_id)
    assert (stored.birth_year, stored.birth_month, stored.birth_day) == (1988, 3, None)
    assert Case.objects.get(id=case.id).version == version + 1


def test_a_change_is_audited_with_the_names_of_the_fields_changed_and_no_personal_values(
    api, world, case
):
    response = patch(
        api, case, world.user("us_caseworker"), {"family_name": "Novakova", "sex": "F"}
    )
    assert response.status_code == 200, response.content
    (row,) = AuditEvent.objects.filter(
        event_type=AuditEventType.PERSON_UPDATED, object_id=str(case.person_id)
    )
    assert row.data == {"changed": ["family_name", "sex"]}
    assert row.case_id == case.id and row.actor_id == world.user("us_caseworker").pk
    assert "Novakova" not in json.dumps(row.data)


def test_only_the_fields_sent_change(api, world, case):
    response = patch(api, case, world.user("us_supervisor"), {"place_of_birth": "Caracas"})
    assert response.status_code == 200, response.content
    stored = Person.objects.get(id=case.person_id)
    assert (stored.given_names, stored.family_name, stored.place_of_birth) == (
        "Ana",
        "Testperson",
        "Caracas",
    )
    assert stored.languages == ["es"]


# Gates ------------------------------------------------------------------------------------


def test_the_other_party_of_the_agreement_is_refused_403_and_nothing_is_written(api, world, case):
    xk = world.user("xk_caseworker")
    rows = audit_rows(case)
    response = patch(api, case, xk, {"family_name": "Changed"}, if_match=etag(api, case, xk))
    assert_problem(response, 403, "wrong-party")
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"
    assert audit_rows(case) == rows + 1  # only the read of the ETag, audited as a read


def test_a_non_party_gets_404_as_if_the_case_did_not_exist(api, world, case):
    response = patch(api, case, world.user("me_supervisor"), {"family_name": "X"}, if_match="*")
    assert_problem(response, 404, "not-found")


def test_a_role_that_does_not_edit_people_is_refused_403(api, world, case):
    response = patch(api, case, world.user("us_auditor"), {"family_name": "X"}, if_match="*")
    assert_problem(response, 403, "wrong-role")
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"


def test_a_read_only_token_is_refused_403_insufficient_scope(api, world, case):
    _, token = token_create(
        user=world.user("us_caseworker"), name="reader", scopes=["read"], acting_user=SYSTEM
    )
    response = patch(api, case, None, {"family_name": "X"}, if_match="*", token=token)
    assert_problem(response, 403, "insufficient-scope")
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"


def test_a_stale_if_match_answers_412_and_writes_nothing(api, world, case):
    owner = world.user("us_caseworker")
    stale = etag(api, case, owner)
    assert patch(api, case, owner, {"family_name": "First"}).status_code == 200
    rows = audit_rows(case)
    response = patch(api, case, owner, {"family_name": "Second"}, if_match=stale)
    body = assert_problem(response, 412, "precondition-failed")
    assert body["etag"] == etag(api, case, owner)
    assert Person.objects.get(id=case.person_id).family_name == "First"
    assert audit_rows(case) == rows


def test_an_update_without_if_match_answers_428_and_writes_nothing(api, world, case):
    response = patch(api, case, world.user("us_caseworker"), {"family_name": "X"}, if_match=None)
    assert_problem(response, 428, "precondition-required")
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"family_name": ""}, ["body", "payload", "family_name"]),
        ({"given_names": "Марко"}, ["body", "payload", "given_names_latin"]),
        ({"given_names_latin": "Марко"}, ["body", "payload", "given_names_latin"]),
        ({"birth_date": "1988-13"}, ["body", "payload", "birth_date"]),
        ({"nationalities": ["ZZ"]}, ["body", "payload", "nationalities", 0]),
        ({"sex": "Q"}, ["body", "payload", "sex"]),
        ({"nickname": "Ana"}, ["body", "payload", "nickname"]),
        ({"family_name": "x" * 201}, ["body", "payload", "family_name"]),
        ({"other_names": [{"kind": "secret", "family_name": "X"}]}, None),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_writes_nothing(api, world, case, body, loc):
    rows = audit_rows(case)
    response = patch(api, case, world.user("us_caseworker"), body)
    problem = assert_problem(response, 422, "validation-failed")
    locs = [e["loc"] for e in problem["errors"]]
    if loc is None:
        assert any(list(lc[:3]) == ["body", "payload", "other_names"] for lc in locs), locs
    else:
        assert loc in locs, locs
    stored = Person.objects.get(id=case.person_id)
    assert (stored.given_names, stored.family_name, stored.sex) == ("Ana", "Testperson", "U")
    assert audit_rows(case) == rows


def test_a_closed_case_keeps_its_person_as_it_was(api, world, case):
    Case.objects.filter(id=case.id).update(closed_at=case.created_at)
    response = patch(api, case, world.user("us_caseworker"), {"family_name": "X"})
    assert_problem(response, 409, "case-closed")


def test_an_anonymised_person_is_not_changed(api, world, case):
    Person.objects.filter(id=case.person_id).update(anonymised_at=case.created_at)
    response = patch(api, case, world.user("us_caseworker"), {"family_name": "X"})
    assert_problem(response, 409, "anonymised")


# Documents --------------------------------------------------------------------------------


def add_document(api: Api, case: Case, user: User, body: Any, **headers: str) -> Any:
    return api.client.post(
        f"{person_path(case)}/documents",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
        **headers,
    )


def test_the_owner_adds_a_document_whose_number_is_encrypted_and_found_by_its_blind_index(
    api, world, case
):
    owner = world.user("us_caseworker")
    before = etag(api, case, owner)
    response = add_document(
        api,
        case,
        owner,
        {"type": "id_card", "number": "ID 4455 667", "issuing_country": "VEN"},
        HTTP_IDEMPOTENCY_KEY="doc-1",
    )
    assert response.status_code == 201, response.content
    added = response.json()
    assert (added["type"], added["number"], added["issuing_country"]) == (
        "id_card",
        "ID 4455 667",
        "VE",
    )
    stored = IdentityDocument.objects.get(id=added["id"])
    assert stored.number == "ID 4455 667"
    assert stored.number_index == DocumentNumberIndexField.index_of("ID 4455 667")
    assert IdentityDocument.objects.filter(
        number_index=DocumentNumberIndexField.index_of("id4455667")
    ).exists()
    repeat = add_document(
        api,
        case,
        owner,
        {"type": "id_card", "number": "ID 4455 667", "issuing_country": "VEN"},
        HTTP_IDEMPOTENCY_KEY="doc-1",
    )
    assert repeat.status_code == 201 and repeat.json()["id"] == added["id"]
    assert IdentityDocument.objects.filter(person_id=case.person_id).count() == 2
    assert etag(api, case, owner) != before
    row = AuditEvent.objects.get(event_type=AuditEventType.PERSON_DOCUMENT_ADDED)
    assert row.object_id == added["id"] and "4455" not in json.dumps(row.data)


def test_a_bad_document_answers_422_naming_the_field_and_adds_nothing(api, world, case):
    for body, field in (
        ({"type": "library_card", "number": "1", "issuing_country": "VE"}, "type"),
        ({"type": "passport", "number": "1", "issuing_country": "QQ"}, "issuing_country"),
        ({"type": "passport", "number": "", "issuing_country": "VE"}, "number"),
    ):
        response = add_document(api, case, world.user("us_caseworker"), body)
        problem = assert_problem(response, 422, "validation-failed")
        assert ["body", "payload", field] in [e["loc"] for e in problem["errors"]], problem
    assert IdentityDocument.objects.filter(person_id=case.person_id).count() == 1


def test_the_other_party_neither_adds_nor_removes_documents(api, world, case):
    xk = world.user("xk_caseworker")
    body = {"type": "passport", "number": "P1", "issuing_country": "VE"}
    assert_problem(add_document(api, case, xk, body), 403, "wrong-party")
    doc = IdentityDocument.objects.get(person_id=case.person_id)
    removed = api.client.delete(
        f"{person_path(case)}/documents/{doc.id}", HTTP_AUTHORIZATION=f"Bearer {api.token(xk)}"
    )
    assert_problem(removed, 403, "wrong-party")
    me = world.user("me_supervisor")
    assert_problem(add_document(api, case, me, body), 404, "not-found")
    assert IdentityDocument.objects.filter(person_id=case.person_id).count() == 1


def test_the_owner_removes_a_document_and_a_document_of_another_person_answers_404(
    api, world, case
):
    owner = world.user("us_caseworker")
    other = make_case(world.agreement, by=owner)
    foreign = IdentityDocument.objects.get(person_id=other.person_id)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api.token(owner)}"}
    assert_problem(
        api.client.delete(f"{person_path(case)}/documents/{foreign.id}", **auth), 404, "not-found"
    )
    doc = IdentityDocument.objects.get(person_id=case.person_id)
    response = api.client.delete(f"{person_path(case)}/documents/{doc.id}", **auth)
    assert response.status_code == 204, response.content
    assert not IdentityDocument.objects.filter(id=doc.id).exists()
    assert IdentityDocument.objects.filter(id=foreign.id).exists()
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.PERSON_DOCUMENT_REMOVED, object_id=str(doc.id)
    ).exists()


# Screening again --------------------------------------------------------------------------


def test_a_changed_name_screens_the_case_again_and_finds_a_watchlist_match_it_did_not_find_before(
    api, world, case, django_capture_on_commit_callbacks
):
    watchlist = fictional_list(world)
    watchlist_import(
        watchlist=watchlist,
        path_or_file=SAMPLES / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    owner = world.user("us_caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        first = screening_run_start(
            agreement=world.agreement, acting_user=owner, case_ids=[case.id]
        )
    first.refresh_from_db()
    assert first.status == RunStatus.DONE
    assert not ScreeningMatch.objects.filter(case=case).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = patch(
            api,
            case,
            owner,
            {
                "given_names": "Џеват",
                "family_name": "Укшини",
                "given_names_latin": "Dževat",
                "family_name_latin": "Ukšini",
                "birth_date": "1979-04-12",
                "nationalities": ["XK"],
            },
        )
    assert response.status_code == 200, response.content
    run = ScreeningRun.objects.get(trigger=RunTrigger.PERSON_CHANGED)
    assert run.status == RunStatus.DONE and run.started_by == owner
    assert list(run.cases.values_list("id", flat=True)) == [case.id]
    assert ScreeningMatch.objects.filter(case=case, status="pending").exists()


def test_a_change_of_what_screening_does_not_match_on_starts_no_run(
    api, world, case, django_capture_on_commit_callbacks
):
    fictional_list(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = patch(api, case, world.user("us_caseworker"), {"languages": ["sq"]})
    assert response.status_code == 200, response.content
    assert not ScreeningRun.objects.filter(trigger=RunTrigger.PERSON_CHANGED).exists()


def test_a_document_that_is_evidence_of_nationality_is_kept_and_answers_409(api, world, case):
    doc = IdentityDocument.objects.get(person_id=case.person_id)
    EvidenceItem.objects.create(
        case=case,
        kind="passport",
        reference="P7700123",
        document=doc,
        organisation=world.us,
        added_by=world.user("us_caseworker"),
        added_at=case.created_at,
    )
    response = api.client.delete(
        f"{person_path(case)}/documents/{doc.id}",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_caseworker'))}",
    )
    assert_problem(response, 409, "document-in-use")
    assert IdentityDocument.objects.filter(id=doc.id).exists()


# The duplicate finder again ---------------------------------------------------------------


def _pairs(person_id: Any) -> set[tuple[str, str, str]]:
    rows = DuplicateCandidate.objects.filter(Q(person_a_id=person_id) | Q(person_b_id=person_id))
    return {
        (str(c.person_a_id), str(c.person_b_id), c.kind)
        for c in rows.only("person_a_id", "person_b_id", "kind")
    }


def test_a_changed_name_and_birth_date_runs_the_duplicate_finder_again_for_that_person(
    api, world, case, django_capture_on_commit_callbacks
):
    owner = world.user("us_caseworker")
    other = make_case(
        world.agreement, by=owner, given_names="Dževat", family_name="Ukšini", birth_year=1979
    )
    assert _pairs(case.person_id) == set()
    with django_capture_on_commit_callbacks(execute=True):
        response = patch(
            api,
            case,
            owner,
            {"given_names": "Dževat", "family_name": "Ukšini", "birth_date": "1979"},
        )
    assert response.status_code == 200, response.content
    found = DuplicateCandidate.objects.get()
    assert {found.person_a_id, found.person_b_id} == {case.person_id, other.person_id}
    assert found.kind == DuplicateKind.POSSIBLE and found.found_by == owner
    audit = AuditEvent.objects.get(event_type=AuditEventType.DUPLICATES_FOUND)
    assert audit.data["person"] == str(case.person_id) and audit.data["possible"] == 1
    assert "Ukšini" not in json.dumps(audit.data)


def test_a_document_added_that_another_person_holds_is_a_certain_duplicate(
    api, world, case, django_capture_on_commit_callbacks
):
    owner = world.user("us_caseworker")
    other = make_case(
        world.agreement,
        by=owner,
        given_names="Luis",
        family_name="Barrios",
        documents=[DocumentInput("passport", "X4455667", "VE")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = add_document(
            api, case, owner, {"type": "passport", "number": "x 4455667", "issuing_country": "VE"}
        )
    assert response.status_code == 201, response.content
    found = DuplicateCandidate.objects.get()
    assert {found.person_a_id, found.person_b_id} == {case.person_id, other.person_id}
    assert found.kind == DuplicateKind.CERTAIN and "X4455667" in found.evidence


def test_the_finder_for_one_person_finds_that_person_s_pairs_as_the_full_finder_does(world):
    """Incremental, not different: the pairs of the edited person are those a run over the
    whole organisation finds for them, and no pair between two other people is touched."""
    owner = world.user("us_caseworker")
    people = [
        make_case(world.agreement, by=owner, given_names=g, family_name=f, birth_year=y, **extra)
        for g, f, y, extra in (
            ("Dževat", "Ukšini", 1979, {}),
            ("Dzevat", "Uksini", 1979, {}),
            ("Dževat", "Ukšini", 1950, {}),
            ("Rosa", "Toledo", 1985, {"documents": [DocumentInput("passport", "T1", "VE")]}),
            ("Rosa", "Toledo", 1985, {"documents": [DocumentInput("passport", "T1", "VE")]}),
            ("Iván", "Naranjo", 1991, {"documents": [DocumentInput("passport", "T1", "VE")]}),
        )
    ]
    for edited in (people[0], people[5]):
        incremental = duplicates_find_for_person(person=edited.person_id, acting_user=owner)
        got = {(str(c.person_a_id), str(c.person_b_id), c.kind, c.score) for c in incremental}
        DuplicateCandidate.objects.all().delete()
        full = duplicates_find(acting_user=owner, organisation=world.us)
        expected = {
            (str(c.person_a_id), str(c.person_b_id), c.kind, c.score)
            for c in full
            if edited.person_id in (c.person_a_id, c.person_b_id)
        }
        assert len(full) > len(expected) > 0
        assert got == expected
        DuplicateCandidate.objects.all().delete()


def test_a_pair_already_decided_is_not_proposed_again_after_an_edit(
    api, world, case, django_capture_on_commit_callbacks
):
    owner = world.user("us_caseworker")
    make_case(world.agreement, by=owner, given_names="Dževat", family_name="Ukšini")
    with django_capture_on_commit_callbacks(execute=True):
        patch(api, case, owner, {"given_names": "Dževat", "family_name": "Ukšini"})
    candidate = DuplicateCandidate.objects.get()
    duplicate_mark_distinct(candidate=candidate, acting_user=owner, reason="two people")
    with django_capture_on_commit_callbacks(execute=True):
        response = patch(api, case, owner, {"given_names": "Dzevat"})
    assert response.status_code == 200, response.content
    assert DuplicateCandidate.objects.count() == 1
