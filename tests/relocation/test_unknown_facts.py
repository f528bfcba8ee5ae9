"""Unknown facts never pass (issue #8, findings 1, 4 and 12): a list names every fact in the
vocabulary or is refused naming the row and field; a fact not sent is not known, never
"none"; an exclusion that cannot tell blocks the decision until an assessment clears it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from readmit.agreements.models import Agreement
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Person, VulnerabilityAssessment
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.relocation.lists import CSV_COLUMNS, read_upload, upload_people, validate_people
from readmit.relocation.models import ProposalList, TransferPlan
from readmit.relocation.services import vulnerability_assess
from tests.agreements.test_vocabularies import SPELLINGS
from tests.factories import make_agreement
from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload
from tests.relocation.test_api_lists import Caller, url
from tests.relocation.test_web_lists import login, upload

MURDER = {"offence": "murder", "category": "violent crime", "date": "2022-03-01"}


def albania(world: Any) -> Agreement:
    """A reception agreement that excludes vulnerable people and pregnant women."""
    return make_agreement(
        world.us,
        world.xk,
        kind="reception",
        terms={
            "capacity": {"max_present": 3000},
            "exclusions": {"minors": True, "pregnant": True, "vulnerable": True},
            "max_stay_days": 28,
        },
    )


def snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return case.state, case.version, TransferPlan.objects.filter(case=case).count()


# Finding 1: the category is a code of the vocabulary -------------------------------------------


def test_a_murder_conviction_in_the_senders_own_words_is_a_422_naming_the_row_and_field(
    world, agreement
):
    sender = Caller(world.user("us_caseworker"))
    body = {"reference": "L-1", "people": [person(), person(convictions=[MURDER])]}
    response = sender.post(url(agreement), body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "payload", "people", 1, "convictions", "0"]]
    assert "'violent crime' is not an ICCS offence category" in errors[0]["msg"]
    assert not Case.objects.filter(agreement=agreement).exists()


@pytest.mark.parametrize("category", SPELLINGS)
def test_every_free_text_spelling_of_a_serious_category_is_refused_at_intake(category):
    conviction = {"offence": "murder", "category": category, "date": "2022-03-01"}
    result = validate_people([person(convictions=[conviction])])
    assert result.rows == []
    assert [e["loc"][2:] for e in result.errors] == [["convictions", "0"]]
    assert "category" in result.errors[0]["msg"]


def test_where_the_agreement_allows_free_text_the_murder_is_unknown_and_blocks_selection(world):
    agreement = kosovo(
        world,
        criteria=[
            {
                "rule": "no_conviction_within_years",
                "params": {"years": 10, "categories": ["01", "02"], "free_text_categories": True},
            }
        ],
        # Shared, so the refusal read by Kosovo may say why (unshared, it is redacted).
        data_sharing={"criminal_data_allowed": True},
    )
    (case,) = submit(world, agreement, [person(convictions=[MURDER])]).cases
    assert case.person.convictions[0]["category"] == "violent crime"
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        select(world, case)
    assert refused.value.rule == "criteria"
    assert "no_conviction_within_years) unknown" in refused.value.message
    assert "has no ICCS category" in refused.value.message
    assert snapshot(case)[0] == "recommended" and snapshot(case)[2] == before[2]


def test_a_murder_filed_under_iccs_01_fails_the_criterion_of_the_kosovo_terms(world, agreement):
    murder = {**MURDER, "category": "01"}
    (case,) = submit(world, agreement, [person(convictions=[murder])]).cases
    with pytest.raises(TransitionRefused) as refused:
        select(world, case)
    assert "no_conviction_within_years) fail" in refused.value.message


# Finding 12: unknown members are refused; what was not sent is not known -----------------------


@pytest.mark.parametrize(
    ("meant", "key", "value"),
    [
        ("convictions", "conviction", [MURDER]),
        ("vulnerabilities", "vulnerabilites", ["pregnant"]),
        ("pending_cases", "pending_case", True),
    ],
)
def test_a_person_object_with_a_misspelt_key_is_a_422_naming_the_key(
    world, agreement, meant, key, value
):
    sender = Caller(world.user("us_caseworker"))
    misspelt = person(**{key: value})
    del misspelt[meant]
    hint = f"did you mean '{meant}'?"
    response = sender.post(url(agreement), {"reference": "L-2", "people": [misspelt]})
    assert response.status_code == 422, response.content
    (error,) = [e for e in response.json()["errors"] if e["loc"][-1] == key]
    assert error["loc"] == ["body", "payload", "people", 0, key]
    assert hint in error["msg"]
    assert not ProposalList.objects.exists()


def test_an_unknown_key_of_a_conviction_or_a_document_is_refused_naming_it():
    result = validate_people(
        [
            person(
                convictions=[{**MURDER, "category": "01", "categroy": "01"}],
                documents=[{"type": "passport", "number": "1", "issuing_country": "VE", "n": 1}],
            )
        ]
    )
    messages = {tuple(e["loc"][2:]): e["msg"] for e in result.errors}
    assert "'categroy' is not a field of a conviction" in messages[("convictions", "0")]
    assert "'n' is not a field of a document" in messages[("documents", "0")]


def test_facts_that_were_not_sent_are_stored_as_not_known_never_as_none(world, agreement):
    silent = person()
    del silent["convictions"], silent["vulnerabilities"]
    (case,) = submit(world, agreement, [silent]).cases
    assert case.data["facts_unknown"] == ["convictions", "vulnerabilities"]
    with pytest.raises(TransitionRefused) as refused:
        select(world, case)
    assert "vulnerabilities have not been assessed" in refused.value.message


def test_an_empty_list_sent_explicitly_means_none(world, agreement):
    (case,) = submit(world, agreement, [person(convictions=[], vulnerabilities=[])]).cases
    assert "facts_unknown" not in case.data
    assert select(world, case).state == "selected"


def _csv(columns: list[str], values: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerow([values.get(c, "") for c in columns])
    return buffer.getvalue().encode()


ROW = {
    "external_id": "US-1",
    "given_names": "Ana",
    "family_name": "Quintero",
    "birth_date": "1988-04-12",
    "sex": "F",
    "nationalities": "VE",
    "pending_criminal_case": "no",
}


def test_a_csv_without_the_columns_the_criteria_read_is_refused_naming_them(world, agreement):
    columns = [c for c in CSV_COLUMNS if c not in ("convictions", "vulnerabilities")]
    response = upload(login(world, "us_caseworker"), agreement, _csv(columns, ROW))
    assert response.status_code == 422
    page = response.content.decode()
    assert "&#x27;convictions&#x27; (read by no_conviction_within_years)" in page
    assert "&#x27;vulnerabilities&#x27; (read by exclusions)" in page
    assert not ProposalList.objects.exists()
    assert not Person.objects.filter(family_name="Quintero").exists()


def test_the_same_csv_with_the_columns_is_imported(world, agreement):
    response = upload(
        login(world, "us_caseworker"),
        agreement,
        _csv(list(CSV_COLUMNS), ROW),
    )
    assert response.status_code == 302
    assert Case.objects.get(external_id="US-1").data.get("facts_unknown") is None


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_cell_holding_a_formula_is_a_row_error_naming_the_column(world, agreement):
    good = [ROW.get(c, "") for c in CSV_COLUMNS]
    formula = [*good]
    formula[0] = "US-2"
    formula[CSV_COLUMNS.index("vulnerabilities")] = '=IF(1=1,"","pregnant")'
    data = _xlsx([list(CSV_COLUMNS), good, formula])
    people, lines = upload_people(read_upload("list.xlsx", data)[0])
    result = validate_people(people, rows=lines)
    assert [(e["row"], e["field"]) for e in result.errors] == [(3, "vulnerabilities")]
    assert "formula" in result.errors[0]["message"]
    response = upload(login(world, "us_caseworker"), agreement, data, name="list.xlsx")
    assert response.status_code == 422
    assert not Case.objects.filter(agreement=agreement).exists()


def test_a_csv_cell_starting_a_formula_is_a_row_error_too():
    data = _csv(list(CSV_COLUMNS), {**ROW, "given_names": '=HYPERLINK("http://x","Ana")'})
    people, lines = upload_people(read_upload("list.csv", data)[0])
    result = validate_people(people, rows=lines)
    assert [(e["row"], e["field"]) for e in result.errors] == [(2, "given_names")]


# Finding 4: unassessed people do not pass exclusions ---------------------------------------


def test_a_woman_never_assessed_cannot_be_scheduled_to_a_reception_agreement_excluding_vulnerable(
    world,
):
    reception = albania(world)
    (woman,) = submit(world, reception, [person(sex="F", vulnerabilities=None)]).cases
    before = snapshot(woman)
    with pytest.raises(TransitionRefused) as refused:
        act(woman, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert refused.value.rule == "exclusion"
    assert "vulnerability assessment is missing" in refused.value.message
    assert snapshot(woman) == before


def test_an_assessment_that_finds_a_pregnancy_refuses_the_transfer_as_excluded(world):
    reception = albania(world)
    (woman,) = submit(world, reception, [person(sex="F", vulnerabilities=None)]).cases
    vulnerability_assess(
        case=woman, vulnerabilities=["pregnant"], acting_user=world.user("us_caseworker")
    )
    with pytest.raises(TransitionRefused) as refused:
        act(woman, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert "pregnant women are excluded" in refused.value.message.lower()


def test_an_assessment_that_finds_nothing_clears_the_exclusion_and_rechecks_the_criteria(world):
    reception = albania(world)
    (woman,) = submit(world, reception, [person(sex="F", vulnerabilities=None)]).cases
    assessment = vulnerability_assess(
        case=woman, vulnerabilities=[], acting_user=world.user("us_supervisor"), note="seen"
    )
    woman.refresh_from_db()
    assert woman.data["facts_unknown"] == []
    assert woman.person.vulnerabilities == []
    assert assessment.assessed_by == world.user("us_supervisor")
    assert woman.evaluations.order_by("-evaluated_at").first().trigger == "recheck"
    event = AuditEvent.objects.get(event_type=AuditEventType.VULNERABILITY_ASSESSED)
    assert event.case_id == woman.id and event.data == {"found": 0, "note": True}
    act(woman, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert TransferPlan.objects.filter(case=woman).count() == 1


def test_only_the_party_holding_the_person_assesses_and_with_a_workers_role(world, agreement):
    (case,) = submit(world, agreement, [person(vulnerabilities=None)]).cases
    with pytest.raises(NotFound):
        vulnerability_assess(case=case, vulnerabilities=[], acting_user=world.user("me_caseworker"))
    with pytest.raises(Forbidden) as other_party:
        vulnerability_assess(case=case, vulnerabilities=[], acting_user=world.user("xk_caseworker"))
    assert other_party.value.type == "wrong-party"
    with pytest.raises(Forbidden) as wrong_role:
        vulnerability_assess(case=case, vulnerabilities=[], acting_user=world.user("us_auditor"))
    assert wrong_role.value.type == "wrong-role"
    assert not VulnerabilityAssessment.objects.exists()


def test_an_assessment_outside_the_vocabulary_is_refused_naming_the_field(world, agreement):
    (case,) = submit(world, agreement, [person(vulnerabilities=None)]).cases
    for bad in (["pregnnt"], None):
        with pytest.raises(ValidationFailed) as refused:
            vulnerability_assess(
                case=case, vulnerabilities=bad, acting_user=world.user("us_caseworker")
            )
        assert refused.value.errors[0]["loc"] == ["vulnerabilities"]
    assert not VulnerabilityAssessment.objects.exists()


def test_the_assessment_endpoint_answers_201_and_refuses_the_wrong_party_and_role(world, agreement):
    (case,) = submit(world, agreement, [person(vulnerabilities=None)]).cases
    path = f"/api/v1/cases/{case.id}/vulnerability-assessments"
    assert (
        Caller(world.user("me_caseworker")).post(path, {"vulnerabilities": []}).status_code == 404
    )
    other = Caller(world.user("xk_supervisor")).post(path, {"vulnerabilities": []})
    assert other.status_code == 403 and other.json()["type"].endswith("wrong-party")
    assert Caller(world.user("us_liaison")).post(path, {"vulnerabilities": []}).status_code == 403
    bad = Caller(world.user("us_caseworker")).post(path, {"vulnerabilities": ["tall"]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"][:3] == ["body", "payload", "vulnerabilities"]
    assert not VulnerabilityAssessment.objects.exists()
    done = Caller(world.user("us_caseworker")).post(path, {"vulnerabilities": ["medical"]})
    assert done.status_code == 201, done.content
    assert done.json()["vulnerabilities"] == ["medical"]
    case.refresh_from_db()
    assert case.person.vulnerabilities == ["medical"]


def test_the_case_page_says_not_assessed_and_records_an_assessment(world, agreement):
    (case,) = submit(world, agreement, [person(vulnerabilities=None)]).cases
    sender = login(world, "us_caseworker")
    page = sender.get(f"/cases/{case.id}/").content.decode()
    assert "Not assessed" in page and 'name="vulnerabilities"' in page
    assert (
        'name="vulnerabilities"'
        not in login(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    )
    response = sender.post(
        f"/cases/{case.id}/vulnerability-assessments/", {"vulnerabilities": ["elderly"]}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.person.vulnerabilities == ["elderly"]
    refused = login(world, "xk_caseworker").post(
        f"/cases/{case.id}/vulnerability-assessments/", {"vulnerabilities": []}
    )
    assert refused.status_code == 403
    assert (
        login(world, "me_caseworker")
        .post(f"/cases/{case.id}/vulnerability-assessments/", {})
        .status_code
        == 404
    )


def test_the_upload_form_still_needs_a_file(world, agreement):
    client = login(world, "us_caseworker")
    response = client.post(
        f"/agreements/{agreement.id}/lists/new/",
        {"reference": "x", "file": SimpleUploadedFile("a.txt", b"x")},
    )
    assert response.status_code == 422


def test_the_agreement_page_shows_which_offence_sections_the_criterion_counts():
    from readmit.web.presenters import criterion_text

    text = criterion_text(
        "no_conviction_within_years",
        {"years": 10, "categories": ["01", "03"], "free_text_categories": True},
        "No serious crime",
    )
    assert text == (
        "No serious crime (counts: 01 acts leading to death or intending to cause death; "
        "03 injurious acts of a sexual nature; a category in the sender's own words answers "
        "unknown)"
    )


def test_the_case_page_says_a_record_not_sent_is_not_known(world):
    agreement = kosovo(world, criteria=[])
    silent = person()
    del silent["convictions"]
    (case,) = submit(world, agreement, [silent]).cases
    agreement.terms = {**agreement.terms, "data_sharing": {"criminal_data_allowed": True}}
    agreement.save(update_fields=["terms"])
    page = login(world, "us_caseworker").get(f"/cases/{case.id}/").content.decode()
    convictions = page.split("<dt>Convictions</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Not known" in convictions


def test_a_reception_agreements_criteria_are_checked_when_the_transfer_is_scheduled(world):
    reception = make_agreement(
        world.us,
        world.xk,
        kind="reception",
        terms={
            "exclusions": {"vulnerable": True},
            "criteria": [{"rule": "no_conviction_within_years", "params": {"years": 10}}],
        },
    )
    silent = person()
    del silent["convictions"]
    unknown, known = submit(world, reception, [silent, person()]).cases
    before = snapshot(unknown)
    with pytest.raises(TransitionRefused) as refused:
        act(unknown, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert refused.value.rule == "criteria"
    assert "criminal record not shared or not known" in refused.value.message.lower()
    assert snapshot(unknown) == before
    act(known, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert TransferPlan.objects.filter(case=known).count() == 1


def test_the_openapi_document_names_the_allowed_values_of_every_fact_a_rule_reads(client, db):
    import json

    from readmit.agreements import vocabularies

    document = json.loads(client.get("/api/v1/openapi.json").content)
    text = json.dumps(document)
    schema = document["components"]["schemas"]["ListIn"]["properties"]["people"]["items"]
    props = schema["properties"]
    assert schema["additionalProperties"] is False
    conviction = props["convictions"]["items"]["properties"]["category"]
    assert conviction["enum"] == list(vocabularies.OFFENCE_CATEGORIES)
    assert props["vulnerabilities"]["items"]["enum"] == list(vocabularies.VULNERABILITIES)
    assert props["sex"]["enum"] == list(vocabularies.SEXES)
    document_type = props["documents"]["items"]["properties"]["type"]
    assert document_type["enum"] == list(vocabularies.DOCUMENT_TYPES)
    assert "/api/v1/cases/{id}/vulnerability-assessments" in text


def test_an_api_person_cannot_pose_as_an_upload_row_with_a_formula_marker():
    result = validate_people([person(**{"#formulas": ["given_names"]})])
    assert [(e["loc"][2:], e["msg"][:30]) for e in result.errors] == [
        (["#formulas"], "'#formulas' is not a field of "),
    ]
