"""Strict input: control characters and absurd dates are refused naming the field and write
nothing, in the API and in forms alike; a filter naming an invisible agreement answers 404;
the OpenAPI document declares the text rule."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from readmit.agreements.models import DiplomaticContact
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core.strict import TEXT_PATTERN, bad_text, has_control
from tests.exchange.conftest import assert_problem
from tests.factories import make_agreement, make_case

CONTACT = {
    "occurred_on": "2026-02-03",
    "from_country": "US",
    "to_country": "XK",
    "channel": "note",
    "summary": "Proposal for a second list",
    "source": "Note 7/2026",
}


def _post_contact(api, world, body):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/v1/agreements/{world.agreement.id}/contacts",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_liaison'))}",
    )


def _locs(body) -> list[str]:  # type: ignore[no-untyped-def]
    return [".".join(str(p) for p in e["loc"]) for e in body.get("errors") or []]


def test_the_text_rule_knows_control_characters_but_not_tabs_or_new_lines():
    assert has_control("a\x00b") and has_control("\x1b[31m") and has_control("\x85")
    assert not has_control("line one\nline two\tand\r\n Ђорђе — ok")
    assert list(bad_text({"a": ["ok", {"b": "x\x07"}]})) == [("a", 1, "b")]


@pytest.mark.parametrize("bad", ["Nul\x00byte", "bell\x07", "escape\x1b[2J", "del\x7f"])
def test_control_characters_in_api_text_are_refused_naming_the_field(api, world, bad):
    before = (AuditEvent.objects.count(), DiplomaticContact.objects.count())
    response = _post_contact(api, world, {**CONTACT, "summary": bad})
    body = assert_problem(response, 422, "validation-failed")
    assert _locs(body) == ["body", "payload", "summary"] or "summary" in " ".join(_locs(body))
    assert "control characters" in json.dumps(body)
    assert (AuditEvent.objects.count(), DiplomaticContact.objects.count()) == before
    assert _post_contact(api, world, CONTACT).status_code == 201


def test_control_characters_inside_a_free_form_payload_are_refused_naming_where(api, world):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    before = (AuditEvent.objects.count(), Case.objects.get(id=case.id).state)
    response = api.transition(
        case, world.user("us_caseworker"), {"action": "submit", "payload": {"note": "a\x00"}}
    )
    body = assert_problem(response, 422, "validation-failed")
    assert "at note" in json.dumps(body)
    assert "payload" in " ".join(_locs(body))
    assert (AuditEvent.objects.count(), Case.objects.get(id=case.id).state) == before


@pytest.mark.parametrize("day", ["2999-01-01", "1899-12-31"])
def test_dates_outside_sane_bounds_are_refused_naming_the_field(api, world, day):
    before = DiplomaticContact.objects.count()
    body = assert_problem(
        _post_contact(api, world, {**CONTACT, "occurred_on": day}), 422, "validation-failed"
    )
    assert any(loc.endswith("occurred_on") for loc in _locs(body))
    assert DiplomaticContact.objects.count() == before


def test_a_case_filter_naming_an_invisible_agreement_is_refused_with_404(api, world):
    foreign = make_agreement(world.xk, world.me)
    user = world.user("us_caseworker")
    make_case(world.agreement, by=user)
    assert_problem(
        api.get("/api/v1/cases", user, query={"agreement": foreign.id}), 404, "not-found"
    )
    assert_problem(
        api.get("/api/v1/cases", user, query={"agreement": uuid.uuid4()}), 404, "not-found"
    )
    mine = api.get("/api/v1/cases", user, query={"agreement": world.agreement.id})
    assert mine.status_code == 200 and len(mine.json()["items"]) == 1


def test_the_case_list_page_refuses_a_filter_naming_an_invisible_agreement(login, world):
    foreign = make_agreement(world.xk, world.me)
    client = login("us_caseworker")
    assert client.get("/cases/", {"agreement": str(foreign.id)}).status_code == 404
    assert client.get("/cases/", {"agreement": "not-a-uuid"}).status_code == 404
    assert client.get("/cases/", {"agreement": str(world.agreement.id)}).status_code == 200


def test_forms_refuse_control_characters_and_absurd_dates_next_to_the_field(login, world):
    client = login("us_liaison")
    address = reverse("web:agreement_contact_new", args=[world.agreement.id])
    before = (AuditEvent.objects.count(), DiplomaticContact.objects.count())
    response = client.post(address, {**CONTACT, "source": "Note\x1b7"})
    assert response.status_code == 400
    assert "Control characters" in response.content.decode()
    response = client.post(address, {**CONTACT, "occurred_on": "2999-01-01"})
    assert response.status_code == 400
    assert "ten years from today" in response.content.decode()
    assert (AuditEvent.objects.count(), DiplomaticContact.objects.count()) == before
    assert client.post(address, CONTACT).status_code == 302


def test_the_openapi_document_declares_the_text_rule_on_every_input_string(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    inputs = [name for name in schemas if name.endswith("In")]
    assert "TransitionIn" in inputs and "ContactIn" in inputs
    unchecked = []
    for name in inputs:
        for prop_name, prop in schemas[name].get("properties", {}).items():
            for variant in [prop, *prop.get("anyOf", [])]:
                free_text = variant.get("type") == "string" and not (
                    {"format", "enum", "const"} & variant.keys()
                )
                if free_text and variant.get("pattern") != TEXT_PATTERN:
                    unchecked.append(f"{name}.{prop_name}")
    assert unchecked == []
