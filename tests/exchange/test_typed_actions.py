"""Typed actions (issue #10 item 1): one payload model per action, declared with its hook,
from which the service's validation, the web form and the OpenAPI document all come."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from pydantic import Field

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases import services
from readmit.cases.services import (
    TransitionContext,
    case_transition,
    payload_models,
    register_transition_hook,
)
from readmit.core.errors import ValidationFailed
from readmit.relocation.hooks import RecommendIn
from readmit.relocation.models import TransferPlan
from tests.exchange.conftest import snapshot
from tests.exchange.test_schemathesis import schema  # noqa: F401
from tests.factories import make_case
from tests.relocation.conftest import kosovo, person, select, submit

ROOT = Path(__file__).resolve().parents[2]


class RecommendWithNoteIn(RecommendIn):
    """A throwaway extension: the field a later change might add."""

    note_for_supervisor: str = Field(
        default="", max_length=100, title="Note for the supervisor", description="Brief"
    )


def note_record(context: TransitionContext) -> None:
    note = context.payload_as(RecommendWithNoteIn).note_for_supervisor
    context.audit_data["note_for_supervisor"] = note


@pytest.fixture
def with_note(monkeypatch):
    """Register the throwaway model for the time of one test only."""
    monkeypatch.setattr(services, "_PAYLOADS", dict(services._PAYLOADS))
    monkeypatch.setattr(services, "_HOOKS", {k: list(v) for k, v in services._HOOKS.items()})
    register_transition_hook("relocation", "recommend", note_record, payload=RecommendWithNoteIn)


def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_field_added_to_a_payload_model_shows_in_the_web_form_the_openapi_and_the_service(
    with_note, login, api, world
):
    case = make_case(world.agreement)
    client = login("xk_caseworker")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'name="payload-note_for_supervisor"' in page
    assert "Note for the supervisor" in page
    schemas = openapi(client)["components"]["schemas"]
    payload = schemas["TransitionRecommend"]["properties"]["payload"]
    assert "#/components/schemas/RecommendWithNoteIn" in json.dumps(payload)
    assert "note_for_supervisor" in schemas["RecommendWithNoteIn"]["properties"]
    response = api.transition(
        case,
        world.user("xk_caseworker"),
        {"action": "recommend", "payload": {"note_for_supervisor": "Strong file"}},
    )
    assert response.status_code == 200, response.content
    row = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED).last()
    assert row.data["note_for_supervisor"] == "Strong file"


def test_without_the_added_field_the_web_form_and_the_openapi_do_not_show_it(login, world):
    case = make_case(world.agreement)
    client = login("xk_caseworker")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'name="payload-recommendation"' in page
    assert "note_for_supervisor" not in page
    assert "RecommendWithNoteIn" not in openapi(client)["components"]["schemas"]


def test_a_narrower_payload_model_replaces_a_wider_one_and_an_unrelated_one_is_refused(
    with_note,
):
    assert services.payload_model("relocation", "recommend") is RecommendWithNoteIn
    register_transition_hook("relocation", "recommend", note_record, payload=RecommendIn)
    assert services.payload_model("relocation", "recommend") is RecommendWithNoteIn
    with pytest.raises(TypeError, match="RecommendWithNoteIn"):
        register_transition_hook("relocation", "recommend", note_record, payload=services.NoPayload)


def test_a_bad_payload_through_the_service_names_the_field_and_writes_nothing(world):
    case = make_case(world.agreement)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refused:
        case_transition(
            case_id=case.id,
            action="recommend",
            acting_user=world.user("xk_caseworker"),
            payload={"recommendation": "perhaps"},
        )
    assert [e["loc"] for e in refused.value.errors] == [["payload", "recommendation"]]
    assert snapshot(case) == before


def test_text_with_a_control_character_in_a_payload_is_refused_naming_the_field(world):
    case = submit(world, kosovo(world), [person()]).cases[0]
    select(world, case)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refused:
        case_transition(
            case_id=case.id,
            action="schedule_transfer",
            acting_user=world.user("us_caseworker"),
            payload={
                "planned_for": "2027-01-15T09:00:00-05:00",
                "route": "Dulles\x00 → Prishtina",
                "notice_language": "es",
            },
        )
    assert [e["loc"] for e in refused.value.errors] == [["payload", "route"]]
    assert "control characters" in refused.value.errors[0]["msg"]
    assert not TransferPlan.objects.filter(case=case).exists()
    assert snapshot(case) == before


def test_a_bad_payload_through_the_page_is_shown_naming_the_field_and_writes_nothing(login, world):
    case = make_case(world.agreement)
    client = login("xk_caseworker")
    before = snapshot(case)
    response = client.post(
        f"/cases/{case.id}/transitions/",
        {"action": "recommend", "version": case.version, "payload-recommendation": "perhaps"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "recommendation" in response.content.decode()
    assert snapshot(case) == before


def test_no_hook_picks_its_payload_apart_by_hand_and_the_web_lists_no_field_by_hand():
    """The three old copies are gone: hooks read the declared model; the web form and the
    OpenAPI members name no field of any payload (they are derived from the models)."""
    sources = {p: p.read_text() for p in (ROOT / "readmit").rglob("*.py")}
    for path, text in sources.items():
        assert "context.payload.get(" not in text, path
        assert "context.payload[" not in text, path
    derived = [
        sources[ROOT / "readmit/web/payloads.py"],
        sources[ROOT / "readmit/exchange/actions.py"],
    ]
    names = {name for model in payload_models().values() for name in model.model_fields}
    assert {"planned_for", "site", "outcome", "kind", "rebuttal"} <= names
    for text in derived:
        literals = {
            node.value
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        assert not names & literals, sorted(names & literals)


def test_every_payload_models_example_passes_the_services_own_validation():
    from readmit.cases.workflow import WORKFLOWS
    from readmit.core.payloads import payload_validate
    from readmit.exchange.actions import action_payloads

    checked = 0
    for action in {a for w in WORKFLOWS.values() for a in w.actions}:
        for model in action_payloads(action):
            assert payload_validate(model, model.example) is not None, (action, model)
            checked += 1
    assert checked >= len({a for w in WORKFLOWS.values() for a in w.actions})


def test_docs_api_names_every_payload_model_and_each_of_its_fields():
    text = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    section = text[text.index("### Typed actions") :]
    for model in set(payload_models().values()):
        assert f"`{model.__name__}`" in section, model.__name__
        for name in model.model_fields:
            assert f"`{name}`" in section, (model.__name__, name)


def test_generated_transition_bodies_from_the_union_never_fail_on_the_server(
    schema,  # noqa: F811
    api,
    world,
):
    """Bodies generated from every member of the union (with ``If-Match: *`` so they reach
    the payload's validation) answer what the document declares, never a 5xx."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    case = make_case(world.agreement)
    token = api.token(world.user("xk_supervisor"))
    operation = schema["/api/v1/cases/{id}/transitions"]["POST"]
    strategy = operation.as_strategy(path_parameters={"id": str(case.id)})
    statuses = []

    @given(generated=strategy)
    @settings(
        max_examples=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(generated) -> None:  # type: ignore[no-untyped-def]
        response = generated.call_and_validate(
            headers={"Authorization": f"Bearer {token}", "If-Match": "*"},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )
        statuses.append(response.status_code)

    check()
    assert statuses
    assert all(s < 500 for s in statuses)
