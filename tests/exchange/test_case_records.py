"""The case's records through the API: person, evidence, files, deadlines, stays, duplicates,
each behind the case gate and the data-sharing policy, as on the case page."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from readmit.accounts.services import token_create
from readmit.agreements.services import site_create
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.attachments import MAX_BYTES
from readmit.cases.models import Attachment, Deadline
from readmit.cases.services import DocumentInput
from readmit.relocation.services import stay_record_return_plan
from readmit.screening.duplicates import duplicates_find
from tests.exchange.conftest import assert_problem
from tests.factories import SYSTEM, make_agreement, make_case
from tests.relocation.conftest import kosovo, person, submit, to_reception

PDF = b"%PDF-1.7\n% fictional passport copy\n"
READS = AuditEventType.PERSONAL_DATA_READ


@pytest.fixture
def case(world):
    return make_case(
        world.agreement,
        by=world.user("us_caseworker"),
        given_names="Аида",
        family_name="Шаля",
        given_names_latin="Aida",
        family_name_latin="Shala",
        aliases=[("Ajda", "Shalla")],
        languages=["sq", "sr"],
        convictions=[{"offence": "theft", "category": "property", "date": "2019-05-01"}],
        pending_criminal_case=False,
        documents=[DocumentInput("passport", "P7700123", "VE")],
    )


def reads(case) -> int:
    return AuditEvent.objects.filter(event_type=READS, case_id=case.id).count()


def upload(
    api,
    case,
    user,
    *,
    content=PDF,
    name="passport.pdf",
    kind="evidence_of_nationality",
    token=None,
    **headers,
):
    auth = token or api.token(user)
    return api.client.post(
        f"/api/v1/cases/{case.id}/attachments",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        HTTP_AUTHORIZATION=f"Bearer {auth}",
        **headers,
    )


# Gates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    ["person", "evidence", "attachments", "deadlines", "transfer-plans", "stays", "duplicates"],
)
def test_a_non_party_gets_404_for_every_record_of_a_case_as_if_it_did_not_exist(
    api, world, case, record
):
    refused = api.get(f"/api/v1/cases/{case.id}/{record}", world.user("me_supervisor"))
    assert_problem(refused, 404, "not-found")
    # administrators manage users, not cases: they see none
    admin = api.get(f"/api/v1/cases/{case.id}/{record}", world.user("us_administrator"))
    assert_problem(admin, 404, "not-found")
    missing = api.get(
        f"/api/v1/cases/00000000-0000-4000-8000-000000000000/{record}", world.user("us_caseworker")
    )
    assert_problem(missing, 404, "not-found")
    assert api.get(f"/api/v1/cases/{case.id}/{record}", world.user("xk_auditor")).status_code == 200


# The person --------------------------------------------------------------------------------


def test_the_owner_reads_the_names_in_every_script_the_aliases_documents_and_criminal_data(
    api, world, case
):
    body = api.get(f"/api/v1/cases/{case.id}/person", world.user("us_caseworker")).json()
    assert (body["given_names"], body["family_name"]) == ("Аида", "Шаля")
    assert (body["given_names_latin"], body["family_name_latin"]) == ("Aida", "Shala")
    assert [(n["given_names"], n["family_name"]) for n in body["other_names"]] == [
        ("Ajda", "Shalla")
    ]
    assert [(d["type"], d["number"], d["issuing_country"]) for d in body["documents"]] == [
        ("passport", "P7700123", "VE")
    ]
    assert body["convictions"][0]["offence"] == "theft"
    assert body["pending_criminal_case"] is False
    assert body["languages"] == ["sq", "sr"]
    assert body["shared"]["criminal_data"] is True
    assert reads(case) == 0  # the owner's own reads are not recorded


def test_the_other_party_reads_no_criminal_data_the_agreement_does_not_share_and_is_audited(
    api, world, case
):
    body = api.get(f"/api/v1/cases/{case.id}/person", world.user("xk_caseworker")).json()
    assert body["family_name"] == "Шаля"
    assert body["documents"][0]["number"] == "P7700123"  # documents are shared by default
    assert body["convictions"] is None
    assert body["pending_criminal_case"] is None
    assert body["shared"]["criminal_data"] is False
    assert reads(case) == 1


def test_documents_are_withheld_from_the_other_party_when_the_agreement_does_not_share_them(
    api, world
):
    agreement = kosovo(world, data_sharing={"categories": ["identity", "nationality"]})
    other = make_case(agreement, documents=[DocumentInput("passport", "P5500321", "VE")])
    body = api.get(f"/api/v1/cases/{other.id}/person", world.user("xk_caseworker")).json()
    assert body["documents"] is None and body["languages"] is None
    assert body["shared"]["documents"] is False
    assert "P5500321" not in str(body)
    owner = api.get(f"/api/v1/cases/{other.id}/person", world.user("us_caseworker")).json()
    assert owner["documents"][0]["number"] == "P5500321"


# Files -------------------------------------------------------------------------------------


def test_a_party_attaches_a_pdf_and_the_other_party_downloads_it_through_the_gate(api, world, case):
    response = upload(api, case, world.user("us_caseworker"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["content_type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.ATTACHMENT_ADDED, object_id=body["id"]
    ).exists()

    listed = api.get(f"/api/v1/cases/{case.id}/attachments", world.user("xk_caseworker")).json()
    assert [a["id"] for a in listed] == [body["id"]]

    download = api.get(body["download"], world.user("xk_caseworker"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        event_type=READS, object_type="attachment", object_id=body["id"]
    ).exists()

    assert_problem(api.get(body["download"], world.user("me_caseworker")), 404, "not-found")
    assert_problem(
        api.get("/api/v1/attachments/not-a-uuid", world.user("xk_caseworker")), 404, "not-found"
    )


def test_the_wrong_role_and_a_read_only_token_cannot_attach_and_nothing_is_stored(api, world, case):
    assert_problem(upload(api, case, world.user("us_auditor")), 403, "wrong-role")
    _, read_only = token_create(
        user=world.user("us_caseworker"), scopes=["read"], acting_user=SYSTEM
    )
    assert_problem(
        upload(api, case, world.user("us_caseworker"), token=read_only), 403, "insufficient-scope"
    )
    assert_problem(upload(api, case, world.user("me_caseworker")), 404, "not-found")
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "kind", "field", "words"),
    [
        (b"<script>alert(1)</script>", "passport.pdf", "evidence_of_nationality", "file", "PDF"),
        (b"%PDF-" + b"0" * MAX_BYTES, "big.pdf", "evidence_of_nationality", "file", "10 MB"),
        (b"", "empty.pdf", "evidence_of_nationality", "file", "empty"),
        (PDF, "passport.pdf", "selfie", "kind", "evidence_of_nationality"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field_and_the_limit_and_nothing_is_stored(
    api, world, case, content, name, kind, field, words
):
    before = AuditEvent.objects.count()
    body = assert_problem(
        upload(api, case, world.user("us_caseworker"), content=content, name=name, kind=kind),
        422,
        "validation-failed",
    )
    assert body["errors"][0]["loc"] == ["body", field]
    assert words in body["detail"]
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_upload_without_a_file_is_refused_naming_it(api, world, case):
    response = api.client.post(
        f"/api/v1/cases/{case.id}/attachments",
        {"kind": "evidence_of_nationality"},
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_caseworker'))}",
    )
    body = assert_problem(response, 422, "validation-failed")
    assert "file" in str(body["errors"])


# Deadlines, stays, duplicates, evidence -----------------------------------------------------


def test_the_deadlines_list_shows_open_and_cancelled_deadlines_by_due_date(api, world, case):
    import datetime as dt

    later = Deadline.objects.create(
        case=case, kind="reply", label="Reply", due_on=dt.date(2026, 9, 1)
    )
    earlier = Deadline.objects.create(
        case=case,
        kind="notice",
        label="Notice",
        due_on=dt.date(2026, 8, 1),
        cancelled_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
    )
    body = api.get(f"/api/v1/cases/{case.id}/deadlines", world.user("xk_caseworker")).json()
    assert [d["id"] for d in body] == [str(earlier.id), str(later.id)]
    assert body[0]["cancelled_at"] is not None and body[1]["status"] == "open"


def test_the_stays_show_the_site_and_the_return_plan_recorded(api, world):
    agreement = kosovo(world)
    site = site_create(
        agreement=agreement,
        name="Reception centre (fictional)",
        country_code="XK",
        capacity=10,
        acting_user=SYSTEM,
    )
    case = submit(world, agreement, [person()]).cases[0]
    to_reception(world, case, site)
    stay_record_return_plan(
        case=case, plan="Flight home arranged (fictional)", acting_user=world.user("xk_caseworker")
    )
    body = api.get(f"/api/v1/cases/{case.id}/stays", world.user("us_caseworker")).json()
    assert [(s["site"], s["return_plan"]) for s in body] == [
        ("Reception centre (fictional)", "Flight home arranged (fictional)")
    ]
    assert body[0]["ended_at"] is None


def test_the_duplicates_of_a_case_are_the_stored_candidates_with_the_other_persons_cases(
    api, world
):
    a = make_case(world.agreement, documents=[DocumentInput("passport", "K573120", "CU")])
    b = make_case(
        world.agreement,
        family_name="Albañil",
        documents=[DocumentInput("passport", "K573120", "CU")],
    )
    make_case(world.agreement, family_name="Rivas")
    assert api.get(f"/api/v1/cases/{a.id}/duplicates", world.user("us_caseworker")).json() == []
    found = duplicates_find(acting_user=world.user("us_caseworker"))
    body = api.get(f"/api/v1/cases/{a.id}/duplicates", world.user("us_caseworker")).json()
    assert [c["id"] for c in body] == [str(found[0].id)]
    assert body[0]["kind"] == "certain"
    assert body[0]["other_cases"] == [str(b.id)]


def test_the_evidence_of_a_case_that_is_not_a_readmission_is_empty(api, world, case):
    body = api.get(f"/api/v1/cases/{case.id}/evidence", world.user("xk_caseworker")).json()
    assert body == {"effect": "none", "explanation": "No evidence of nationality.", "items": []}


def test_the_evidence_of_a_readmission_application_is_listed_for_both_parties(api, world):
    from tests.exchange.test_applications import TERMS, application
    from tests.exchange.test_applications import submit as submit_application

    montenegro = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    sent = submit_application(api, world.user("us_caseworker"), montenegro, application())
    assert sent.status_code == 201, sent.content
    case_id = sent.json()["id"]
    body = api.get(f"/api/v1/cases/{case_id}/evidence", world.user("me_caseworker")).json()
    assert body["effect"] == "nationality_established"
    assert [(i["kind"], i["evidence_class"]) for i in body["items"]] == [
        ("valid_passport", "proof")
    ]
    assert_problem(
        api.get(f"/api/v1/cases/{case_id}/evidence", world.user("xk_caseworker")), 404, "not-found"
    )


def test_the_transfer_plans_show_the_route_and_medical_needs_only_where_shared(api, world):
    from tests.relocation.conftest import act, select, transfer_payload

    agreement = kosovo(world, data_sharing={"categories": ["identity", "nationality"]})
    case = submit(world, agreement, [person()]).cases[0]
    select(world, case)
    act(
        case,
        "schedule_transfer",
        world.user("us_caseworker"),
        payload=transfer_payload(medical_needs="Insulin (fictional)"),
    )
    owner = api.get(f"/api/v1/cases/{case.id}/transfer-plans", world.user("us_caseworker"))
    other = api.get(f"/api/v1/cases/{case.id}/transfer-plans", world.user("xk_caseworker"))
    assert [p["route"] for p in other.json()] == ["Washington Dulles → Prishtina, charter"]
    assert owner.json()[0]["medical_needs"] == "Insulin (fictional)"
    assert other.json()[0]["medical_needs"] is None
    assert_problem(
        api.get(f"/api/v1/cases/{case.id}/transfer-plans", world.user("me_caseworker")),
        404,
        "not-found",
    )


def decide(api, candidate_id, body, user=None, token=None):
    import json

    return api.client.post(
        f"/api/v1/duplicates/{candidate_id}/decision",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token or api.token(user)}",
    )


@pytest.fixture
def candidate(world):
    make_case(world.agreement, documents=[DocumentInput("passport", "K573120", "CU")])
    make_case(
        world.agreement,
        family_name="Albañil",
        documents=[DocumentInput("passport", "K573120", "CU")],
    )
    (found,) = duplicates_find(acting_user=world.user("us_caseworker"))
    return found


def test_the_recording_party_marks_a_duplicate_distinct_once_and_it_is_audited(
    api, world, candidate
):
    body = {"decision": "distinct", "reason": "Different birth places (fictional)."}
    _, screening_only = token_create(
        user=world.user("us_caseworker"), scopes=["read", "write:screening"], acting_user=SYSTEM
    )
    response = decide(api, candidate.id, body, token=screening_only)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "distinct"
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.DUPLICATE_DISTINCT, object_id=str(candidate.id)
    ).exists()
    again = decide(api, candidate.id, body, world.user("us_caseworker"))
    assert assert_problem(again, 409, "already-decided")["rule"] == "already-decided"


def test_a_merge_through_the_api_keeps_both_records(api, world, candidate):
    response = decide(
        api,
        candidate.id,
        {"decision": "merge", "reason": "Same passport."},
        world.user("us_supervisor"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "merged"


def test_a_duplicate_decision_is_refused_to_a_non_party_the_wrong_role_and_a_read_token(
    api, world, candidate
):
    body = {"decision": "distinct", "reason": "x"}
    assert_problem(decide(api, candidate.id, body, world.user("me_caseworker")), 404, "not-found")
    assert_problem(decide(api, candidate.id, body, world.user("us_auditor")), 403, "forbidden")
    _, read_only = token_create(
        user=world.user("us_caseworker"), scopes=["read"], acting_user=SYSTEM
    )
    assert_problem(decide(api, candidate.id, body, token=read_only), 403, "insufficient-scope")
    bad = decide(
        api, candidate.id, {"decision": "maybe", "reason": ""}, world.user("us_caseworker")
    )
    problem = assert_problem(bad, 422, "validation-failed")
    assert {tuple(e["loc"][-1:]) for e in problem["errors"]} >= {("decision",), ("reason",)}
    candidate.refresh_from_db()
    assert candidate.status == "open"
