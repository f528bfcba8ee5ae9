"""An API client that speaks for one user of the world at a time, with real bearer tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from readmit.accounts.models import User
from readmit.accounts.services import token_create
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, QuotaAllocation
from tests.factories import SYSTEM

PROBLEM = "application/problem+json"


@dataclass
class Api:
    client: Client
    tokens: dict[int, str] = field(default_factory=dict)

    def token(self, user: User) -> str:
        if user.pk not in self.tokens:
            _, secret = token_create(user=user, name="test", acting_user=SYSTEM)
            self.tokens[user.pk] = secret
        return self.tokens[user.pk]

    def _auth(self, user: User | None, token: str | None) -> dict[str, str]:
        if token is not None:
            return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if user is not None:
            return {"HTTP_AUTHORIZATION": f"Bearer {self.token(user)}"}
        return {}

    def get(
        self,
        path: str,
        user: User | None = None,
        *,
        token: str | None = None,
        query: dict[str, Any] | None = None,
        **headers: str,
    ) -> Any:
        return self.client.get(path, data=query or {}, **self._auth(user, token), **headers)

    def transition(
        self,
        case: Case,
        user: User | None,
        body: Any,
        *,
        if_match: str | None = "",
        raw: bool = False,
        **headers: str,
    ) -> Any:
        """POST a transition; ``if_match=""`` sends the case's current ETag, None sends none."""
        if if_match == "":
            if_match = Case.objects.get(id=case.id).etag
        if if_match is not None:
            headers["HTTP_IF_MATCH"] = if_match
        data = body if raw else json.dumps(body)
        return self.client.post(
            f"/api/v1/cases/{case.id}/transitions",
            data=data,
            content_type="application/json",
            **self._auth(user, None),
            **headers,
        )


@pytest.fixture
def api(world) -> Api:  # type: ignore[no-untyped-def]
    """Tokens for every user of the world exist before the test, so that counting audit rows
    around a request counts only what the request wrote."""
    client = Api(Client())
    for user in world.users.values():
        client.token(user)
    return client


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem of this status and stable type; answers its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:readmit:problem:{slug}", body
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@dataclass(frozen=True)
class Snapshot:
    audit_rows: int
    version: int
    state: str
    legal_hold: bool
    allocations: int


def snapshot(case: Case) -> Snapshot:
    fresh = Case.objects.get(id=case.id)
    return Snapshot(
        AuditEvent.objects.count(),
        fresh.version,
        fresh.state,
        fresh.legal_hold,
        QuotaAllocation.objects.filter(case=case).count(),
    )


@pytest.fixture
def partner(live_server, api):  # type: ignore[no-untyped-def]
    """``partner(user)``: a ``readmit.client.ReadmitClient`` holding only that user's API token,
    talking HTTP to the live server, as a partner state's system would. Tests using it are
    transactional (``django_db(transaction=True, serialized_rollback=True)``): the server
    thread sees only what is committed, and background tasks run when a request commits."""
    from readmit.client import ReadmitClient

    clients: dict[int, ReadmitClient] = {}

    def _partner(user: User) -> ReadmitClient:
        if user.pk not in clients:
            clients[user.pk] = ReadmitClient(live_server.url, api.token(user))
        return clients[user.pk]

    return _partner
