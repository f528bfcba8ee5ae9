from __future__ import annotations

import json

import pytest

CONTRACT = {
    "/api/v1/agreements": {"get"},
    "/api/v1/agreements/{id}": {"get"},
    "/api/v1/cases": {"get"},
    "/api/v1/cases/{id}": {"get"},
    "/api/v1/cases/{id}/transitions": {"post"},
    "/api/v1/agreements/{id}/lists": {"post"},
    "/api/v1/agreements/{id}/screening-runs": {"post"},
    "/api/v1/screening-runs/{id}": {"get"},
    "/api/v1/cases/{id}/matches": {"get"},
    "/api/v1/matches/{id}/review": {"post"},
    "/api/v1/imports/{id}": {"get"},
}
PROBLEM = "application/problem+json"


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_document_is_openapi_and_names_the_api(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Readmit exchange API"
    assert document["info"]["version"] == "1"


def test_the_document_lists_the_exchange_contract_paths(document):
    listed = {path: set(methods) for path, methods in document["paths"].items()}
    for path, methods in CONTRACT.items():
        assert methods <= listed.get(path, set()), path


def test_every_operation_requires_a_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    bearer = [
        name for name, s in schemes.items() if s["type"] == "http" and s["scheme"] == "bearer"
    ]
    assert bearer
    for path, method, operation in operations(document):
        assert {next(iter(r)) for r in operation["security"]} == set(bearer), (path, method)


def test_every_operation_describes_its_errors_as_problem_documents(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert "401" in {str(s) for s in responses}, (path, method)
        for status, response in responses.items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM], (path, method, status)
                assert response["content"][PROBLEM]["schema"]["$ref"].endswith("/Problem")


def test_the_problem_schema_has_the_rfc_9457_members(document):
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert {"instance", "errors", "rule"} <= set(problem["properties"])


def test_transitions_describe_every_refusal_and_the_if_match_header(document):
    operation = document["paths"]["/api/v1/cases/{id}/transitions"]["post"]
    assert {"200", "403", "404", "409", "412", "422", "428"} <= {
        str(s) for s in operation["responses"]
    }
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "If-Match" in headers
    assert "ETag" in operation["responses"]["200"]["headers"]


def test_a_case_declares_its_etag_and_the_304_answer(document):
    operation = document["paths"]["/api/v1/cases/{id}"]["get"]
    assert "ETag" in operation["responses"]["200"]["headers"]
    assert "304" in {str(s) for s in operation["responses"]}


def test_ids_in_paths_are_declared_as_uuids(document):
    for path, _method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"]["format"] == "uuid", path


def test_the_agreement_and_case_schemas_carry_the_contract_fields(document):
    schemas = document["components"]["schemas"]
    assert {"id", "kind", "status", "parties", "quota"} <= set(
        schemas["AgreementOut"]["properties"]
    )
    assert schemas["AgreementOut"]["properties"]["kind"]["enum"] == [
        "relocation",
        "readmission",
        "reception",
    ]
    assert {"limit", "used", "remaining", "period_start", "period_end"} <= set(
        schemas["QuotaOut"]["properties"]
    )
    assert {"id", "state", "deadlines", "allowed_actions", "version"} <= set(
        schemas["CaseOut"]["properties"]
    )
    assert {"items", "next_cursor"} <= set(schemas["CasePage"]["properties"])


# Typed actions: the transition body is a union discriminated by ``action`` ------------------


def transition_members(document):
    body = document["paths"]["/api/v1/cases/{id}/transitions"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    union = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert union["discriminator"]["propertyName"] == "action"
    assert len(union["oneOf"]) == len(union["discriminator"]["mapping"])
    return union["discriminator"]["mapping"]


def resolve(document, ref):
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_action_of_the_workflow_tables_has_a_member_of_the_transition_union(document):
    from readmit.cases.workflow import WORKFLOWS

    mapping = transition_members(document)
    actions = {a for w in WORKFLOWS.values() for a in w.actions}
    assert {"recommend", "select", "schedule_transfer", "record_transfer", "extend"} <= actions
    assert set(mapping) == actions
    for action, ref in mapping.items():
        member = resolve(document, ref)
        assert member["properties"]["action"]["const"] == action
        assert "payload" in member["properties"], action
        assert member["additionalProperties"] is False, action


def test_every_member_has_an_example_that_validates_against_its_own_schema(document):
    import jsonschema_rs

    for action, ref in transition_members(document).items():
        member = resolve(document, ref)
        examples = member["examples"]
        assert examples, action
        schema = {**member, "components": document["components"]}
        validator = jsonschema_rs.validator_for(schema)
        for example in examples:
            assert example["action"] == action
            errors = [str(e) for e in validator.iter_errors(example)]
            assert errors == [], (action, errors)
            # and the wrong action's name does not pass as this member
            assert not validator.is_valid({**example, "action": "not_" + action})


def test_a_payload_with_an_unknown_field_does_not_validate_against_its_member(document):
    import jsonschema_rs

    member = resolve(document, transition_members(document)["record_departure"])
    validator = jsonschema_rs.validator_for({**member, "components": document["components"]})
    example = member["examples"][0]
    assert validator.is_valid(example)
    assert not validator.is_valid({**example, "payload": {**example["payload"], "x": 1}})
    assert not validator.is_valid({**example, "payload": {"outcome": "vanished"}})
