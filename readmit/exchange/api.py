"""The single NinjaAPI of the exchange contract (DESIGN §7), mounted at ``/api/v1/``.

Thin over services and selectors: it authenticates, parses, calls, renders. It owns no rules.
The interactive docs page is disabled: Ninja's loads Swagger UI from a CDN, and Readmit must
work offline; ``/api/v1/openapi.json`` is the documentation (see docs/api.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from readmit.core.errors import N_, NotFound
from readmit.exchange import errors, idempotency
from readmit.exchange.auth import TokenAuth
from readmit.exchange.routers.agreement_admin import router as agreement_admin_router
from readmit.exchange.routers.agreements import router as agreements_router
from readmit.exchange.routers.applications import evidence_router
from readmit.exchange.routers.applications import router as applications_router
from readmit.exchange.routers.assessments import router as assessments_router
from readmit.exchange.routers.assignments import router as assignments_router
from readmit.exchange.routers.cases import router as cases_router
from readmit.exchange.routers.consular import router as consular_router
from readmit.exchange.routers.criteria import router as criteria_router
from readmit.exchange.routers.letters import router as letters_router
from readmit.exchange.routers.lists import imports_router
from readmit.exchange.routers.lists import router as lists_router
from readmit.exchange.routers.records import (
    add_evidence_list,
    attachments_router,
    duplicates_router,
)
from readmit.exchange.routers.records import router as records_router
from readmit.exchange.routers.screening import (
    agreement_router as screening_agreement_router,
)
from readmit.exchange.routers.screening import case_router as screening_case_router
from readmit.exchange.routers.screening import match_router as screening_match_router
from readmit.exchange.routers.screening import run_router as screening_run_router
from readmit.exchange.routers.search import router as search_router
from readmit.exchange.routers.stays import router as stays_router
from readmit.exchange.routers.travel import agreements_router as travel_agreements_router
from readmit.exchange.routers.travel import router as travel_router
from readmit.exchange.routers.webhooks import router as events_router

DESCRIPTION = """\
The inter-state exchange API of Readmit. Authenticate with `Authorization: Bearer <token>`
(`readmit createtoken USERNAME` prints one). Every error is `application/problem+json`
(RFC 9457) with a stable `type` URI per rule, `urn:readmit:problem:<rule>`.
"""


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# Operations that answer the case's version as an ``ETag`` header.
ETAG_OPERATIONS = frozenset({"case_detail", "case_transition"})
ETAG_HEADER = {
    "description": "The case's version; send it back in If-Match / If-None-Match.",
    "schema": {"type": "string"},
}


class ExchangeAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Ninja's document, with error responses declared as ``application/problem+json``,
        the ``ETag`` header declared where it is sent, and ``422`` declared wherever a query
        parameter or a body can be invalid (Ninja answers it there whether declared or not)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                _declare_idempotency_key(method, operation)
                responses = operation.setdefault("responses", {})
                takes_input = "requestBody" in operation or any(
                    p.get("in") == "query" for p in operation.get("parameters", [])
                )
                if takes_input and "422" not in responses and 422 not in responses:
                    responses[422] = {
                        "description": "Unprocessable Entity",
                        "content": {"application/json": {"schema": PROBLEM_REF}},
                    }
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[errors.PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                    if operation.get("operationId") in ETAG_OPERATIONS and int(status) in (
                        200,
                        304,
                    ):
                        response.setdefault("headers", {})["ETag"] = ETAG_HEADER
        return schema


def _declare_idempotency_key(method: str, operation: dict[str, Any]) -> None:
    """Every creating operation takes ``Idempotency-Key`` (``readmit.exchange.idempotency``)."""
    if not idempotency.creates(method, operation.get("responses", {})):
        return
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("in") == "header" and p.get("name") == idempotency.HEADER for p in parameters):
        parameters.append(dict(idempotency.PARAMETER))
    responses = operation.setdefault("responses", {})
    declared = {int(status) for status in responses}
    for status, description in ((409, "Idempotency key reused"), (422, "Invalid request")):
        if status in declared:
            continue
        responses.setdefault(
            status,
            {
                "description": description,
                "content": {
                    errors.PROBLEM_CONTENT_TYPE: {
                        "schema": {"$ref": "#/components/schemas/Problem"}
                    }
                },
            },
        )


api = ExchangeAPI(
    title="Readmit exchange API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
)
api.add_router("/agreements", agreements_router)
api.add_router("/agreements", agreement_admin_router)
api.add_router("/cases", assignments_router)
api.add_router("/cases", cases_router)
api.add_router("/agreements", lists_router)
api.add_router("/agreements", applications_router)
add_evidence_list(evidence_router)
api.add_router("/cases", evidence_router)
api.add_router("/cases", stays_router)
api.add_router("/cases", criteria_router)
api.add_router("/cases", assessments_router)
api.add_router("/consular-requests", consular_router)
api.add_router("/cases", travel_router)
api.add_router("/agreements", travel_agreements_router)
api.add_router("", events_router)
api.add_router("/agreements", screening_agreement_router)
api.add_router("/screening-runs", screening_run_router)
api.add_router("/cases", screening_case_router)
api.add_router("/matches", screening_match_router)
api.add_router("/imports", imports_router)
api.add_router("/cases", records_router)
api.add_router("/cases", letters_router)
api.add_router("/attachments", attachments_router)
api.add_router("/duplicates", duplicates_router)
api.add_router("", search_router)
errors.register(api)
_replay: Callable[..., HttpResponse] = idempotency.replay_response
api.add_exception_handler(idempotency.Replay, _replay)
api.add_decorator(idempotency.idempotent, mode="view")
api.add_decorator(idempotency.claim, mode="operation")


View = Callable[..., HttpResponse]


def _problem_for_method_not_allowed(view: View) -> View:
    """Ninja answers an unsupported method with a plain 405; answer it as a problem too."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            errors.PROBLEM_CONTENT_TYPE
        ):
            problem = errors.problem_response(
                request,
                status=405,
                slug="method-not-allowed",
                title="Method not allowed",
                detail=f"{request.method} is not allowed here; allowed: {response['Allow']}.",
            )
            problem["Allow"] = response["Allow"]
            return problem
        return response

    return wrapper


def _unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    return errors.application_error(request, NotFound(N_("No such endpoint.")))


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """Like ``api.urls`` (include under ``api/v1/``), ending in a problem-shaped 404."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _problem_for_method_not_allowed(pattern.callback)
        wrapped.append(pattern)
    wrapped.append(path("<path:rest>", _unknown_path, name="unknown"))
    return wrapped, app_name, namespace
