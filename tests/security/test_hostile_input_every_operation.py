"""Hostile input to every operation of the document that takes a body: invalid UTF-8, a NUL
byte, a 1 MB name, a script fragment as an unknown member. Each answers a 4xx problem naming
the field where there is one, and writes nothing (not even an audit row).

The operations and their body schemas are read from /api/v1/openapi.json, so an endpoint
added to the API is covered without touching this file.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from readmit.accounts.roles import Role
from readmit.audit.models import AuditEvent
from tests.consular.conftest import consular, consular_terms  # noqa: F401
from tests.factories import make_user
from tests.security.test_schemathesis_every_operation import _path_parameters, records  # noqa: F401

PROBLEM = "application/problem+json"


def _document() -> dict[str, Any]:
    from readmit.exchange.api import api

    document: dict[str, Any] = json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str)
    )
    return document


DOCUMENT = _document()
WRITES = sorted(
    (path, method.upper())
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
    if "application/json" in operation.get("requestBody", {}).get("content", {})
)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_text(schema: dict[str, Any]) -> bool:
    schema = _resolve(schema)
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        return True
    return any(_is_text(option) for option in schema.get("anyOf", []))


def _text_field(path: str, method: str) -> str | None:
    operation = DOCUMENT["paths"][path][method.lower()]
    body = _resolve(operation["requestBody"]["content"]["application/json"]["schema"])
    return next((k for k, v in body.get("properties", {}).items() if _is_text(v)), None)


def _url(path: str, records: dict[str, str]) -> str:  # noqa: F811
    filled = path
    for name, value in _path_parameters(path, records).items():
        filled = filled.replace("{" + name + "}", value)
    while "{" in filled:
        start, end = filled.index("{"), filled.index("}")
        filled = filled[:start] + str(uuid.uuid4()) + filled[end + 1 :]
    return filled


@pytest.fixture
def send(api, world, records):  # noqa: F811
    everyone = make_user(world.us, *Role, username="us_every_role_hostile")
    token = api.token(everyone)

    def _send(path: str, method: str, body: bytes) -> Any:
        return api.client.generic(
            method,
            _url(path, records),
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            HTTP_IF_MATCH='"0"',
        )

    return _send


def _refused(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code and body["type"].startswith("urn:readmit:")
    return body


def _named(body: dict[str, Any], field: str) -> bool:
    return any(field in [str(part) for part in e["loc"]] for e in body.get("errors") or [])


@pytest.mark.parametrize(("path", "method"), WRITES)
def test_hostile_bodies_are_refused_as_problems_naming_the_field_and_write_nothing(
    send, path, method
):
    before = AuditEvent.objects.count()

    _refused(send(path, method, b'{"reason": "\xff\xfe not UTF-8"}'))

    script = _refused(send(path, method, b'{"<script>alert(1)</script>": "x"}'))
    if script["status"] == 422:
        assert _named(script, "<script>alert(1)</script>"), script

    field = _text_field(path, method)
    if field is not None:
        nul = _refused(send(path, method, json.dumps({field: "a\u0000b"}).encode()))
        if nul["status"] == 422:
            assert _named(nul, field), nul
        huge = _refused(send(path, method, json.dumps({field: "A" * 1_000_000}).encode()))
        if huge["status"] == 422:
            assert _named(huge, field), huge

    assert AuditEvent.objects.count() == before


def test_every_operation_with_a_body_is_walked():
    assert len(WRITES) > 20
    assert ("/api/v1/agreements/{id}/lists", "POST") in WRITES
