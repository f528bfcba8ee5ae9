"""A small typed Python client for the Readmit exchange API (``/api/v1/``).

It needs nothing but the standard library: a partner system can copy this package (with
``types.py``) without Django. It speaks HTTP with a bearer token and

- sends a fresh ``Idempotency-Key`` with every create that takes one (or the caller's own, to
  retry a create safely after a lost answer);
- remembers the ``ETag`` of every case it has read or changed, and sends it as ``If-Match``
  with the next transition of that case (reading the case first if it never saw it, or if it
  wrote something else to the case since); when another party changed the case in between,
  the API answers :class:`PreconditionFailed`, never a silent overwrite: read, decide again;
- raises every ``application/problem+json`` answer as :class:`ProblemError` (or a subclass by
  status), carrying ``type``, ``title``, ``detail``, ``rule`` and the field ``errors``.

The answers are the API's JSON, typed by the TypedDicts of ``readmit.client.types``, which are
generated from ``/api/v1/openapi.json`` (``python -m readmit.client.generate``).

    from readmit.client import ReadmitClient

    api = ReadmitClient("https://readmit.example.org", token="...")
    sent = api.list_submit(agreement_id, reference="US-XK-2026-07", people=[...])
    case = api.case(sent["cases"][0]["id"])
    api.transition(case["id"], "recommend", payload={"recommendation": "select"})
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from readmit.client.types import (
    AgreementOut,
    ApplicationIn,
    ApplicationOut,
    CaseOut,
    CasePage,
    ConsularRequestIn,
    ConsularRequestOut,
    CriteriaOut,
    DeliveryOut,
    DocumentOut,
    EvaluationOut,
    FieldError,
    ImportOut,
    ListOut,
    MatchOut,
    PersonDetailOut,
    PersonDocumentIn,
    PersonPatchIn,
    RunOut,
    StayOut,
    SubscriptionCreatedOut,
    TransferCostIn,
    TransferCostOut,
    TravelDocumentOut,
)

__all__ = [
    "Conflict",
    "Forbidden",
    "NotFound",
    "PreconditionFailed",
    "ProblemError",
    "ReadmitClient",
    "Response",
    "Unauthorized",
    "ValidationFailed",
]

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_PREFIX = "urn:readmit:problem:"


@dataclass(frozen=True)
class Response:
    """One HTTP answer: status, headers (names in lower case) and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class ProblemError(Exception):
    """An RFC 9457 problem answered by the API; ``slug`` is the rule's stable name."""

    def __init__(self, response: Response) -> None:
        body = response.json() if _is_problem(response) else None
        problem: dict[str, Any] = body if isinstance(body, dict) else {}
        self.response = response
        self.status: int = int(problem.get("status", response.status))
        self.type: str = str(problem.get("type", "about:blank"))
        self.title: str = str(problem.get("title", f"HTTP {response.status}"))
        self.detail: str = str(problem.get("detail", response.body[:200].decode(errors="replace")))
        self.rule: str | None = problem.get("rule")
        self.instance: str | None = problem.get("instance")
        self.errors: list[FieldError] = list(problem.get("errors") or [])
        super().__init__(f"{self.status} {self.type}: {self.detail}")

    @property
    def slug(self) -> str:
        """``quota-exceeded`` for ``urn:readmit:problem:quota-exceeded``."""
        return self.type.removeprefix(PROBLEM_PREFIX)

    def fields(self) -> list[str]:
        """The dotted location of every bad field, e.g. ``body.people.0.birth_date``."""
        return [".".join(str(part) for part in e["loc"]) for e in self.errors]


class Unauthorized(ProblemError):
    """401: no token, a wrong one, a revoked or an expired one."""


class Forbidden(ProblemError):
    """403: the caller's role may not do this."""


class NotFound(ProblemError):
    """404: no such record, or one the caller's organisation may not see."""


class Conflict(ProblemError):
    """409: the workflow or a rule (quota, capacity, legal hold, exclusion) refused; see
    ``rule``."""


class PreconditionFailed(ProblemError):
    """412: the case changed since the ETag sent; read it again and decide again."""


class ValidationFailed(ProblemError):
    """422 (or 400, 413): bad input, each bad field named in ``errors``; nothing written."""


_BY_STATUS: dict[int, type[ProblemError]] = {
    400: ValidationFailed,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    413: ValidationFailed,
    422: ValidationFailed,
}


def _is_problem(response: Response) -> bool:
    content_type = response.header("content-type") or ""
    return content_type.split(";")[0].strip() in (PROBLEM_CONTENT_TYPE, "application/json")


def problem(response: Response) -> ProblemError:
    """The typed exception for an answer of status 400 or more."""
    return _BY_STATUS.get(response.status, ProblemError)(response)


Transport = Callable[[str, str, Mapping[str, str], bytes | None, float], Response]


def urllib_transport(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None, timeout: float
) -> Response:
    """Send one request with the standard library; answers every status as a Response."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return Response(
                answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
            )
    except urllib.error.HTTPError as error:
        with error:
            return Response(
                error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()
            )


@dataclass
class ReadmitClient:
    """The exchange API for one token. ``base_url`` is the server's root (no ``/api/v1``)."""

    base_url: str
    token: str
    timeout: float = 30.0
    transport: Transport = urllib_transport
    etags: dict[str, str] = field(default_factory=dict)

    # The wire ----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        query: Mapping[str, str | None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """One request to ``/api/v1{path}``; a problem answer raises :class:`ProblemError`."""
        url = self.base_url.rstrip("/") + "/api/v1" + path
        params = {k: v for k, v in (query or {}).items() if v is not None}
        if params:
            url += "?" + urllib.parse.urlencode(params)
        sent = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        response = self.transport(method, url, sent, body, self.timeout)
        self._forget_if_changed(method, path)
        if response.status >= 400:
            raise problem(response)
        return response

    def _forget_if_changed(self, method: str, path: str) -> None:
        """Any other write under ``/cases/{id}/`` (a return plan, evidence, ...) may change
        the case's version: forget its ETag, so the next transition reads the case first."""
        parts = path.split("/")
        if method != "GET" and len(parts) > 3 and parts[1] == "cases" and parts[3] != "transitions":
            self.etags.pop(parts[2], None)

    def _get(self, path: str, **query: str | None) -> Any:
        return self.request("GET", path, query=query).json()

    def _post(self, path: str, body: Any, *, idempotency_key: str | None = None) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self.request("POST", path, json_body=body, headers=headers).json()

    @staticmethod
    def new_idempotency_key() -> str:
        return str(uuid.uuid4())

    # Agreements ---------------------------------------------------------------------------

    def agreements(self) -> list[AgreementOut]:
        return cast(list[AgreementOut], self._get("/agreements"))

    def agreement(self, agreement_id: str) -> AgreementOut:
        return cast(AgreementOut, self._get(f"/agreements/{agreement_id}"))

    # Cases --------------------------------------------------------------------------------

    def cases(self, *, agreement: str | None = None, state: str | None = None) -> Iterator[CaseOut]:
        """Every case the caller may see, following the cursor from page to page."""
        cursor: str | None = None
        while True:
            page = cast(
                CasePage, self._get("/cases", agreement=agreement, state=state, cursor=cursor)
            )
            yield from page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return

    def case(self, case_id: str) -> CaseOut:
        """The case, remembering its ETag for the next transition."""
        response = self.request("GET", f"/cases/{case_id}")
        self._remember(case_id, response)
        return cast(CaseOut, response.json())

    def transition(
        self,
        case_id: str,
        action: str,
        *,
        reason: str = "",
        payload: Mapping[str, Any] | None = None,
        if_match: str | None = None,
        **extra: str,
    ) -> CaseOut:
        """Take one workflow action with ``If-Match``: the given ETag, else the last one this
        client saw for the case, else the case's current one (read first)."""
        etag = if_match or self.etags.get(str(case_id))
        if etag is None:
            self.case(case_id)
            etag = self.etags[str(case_id)]
        body: dict[str, Any] = {"action": action, "payload": dict(payload or {}), **extra}
        if reason:
            body["reason"] = reason
        response = self.request(
            "POST", f"/cases/{case_id}/transitions", json_body=body, headers={"If-Match": etag}
        )
        self._remember(case_id, response)
        return cast(CaseOut, response.json())

    def _remember(self, case_id: str, response: Response) -> None:
        etag = response.header("etag")
        if etag:
            self.etags[str(case_id)] = etag

    def criteria(self, case_id: str) -> CriteriaOut:
        return cast(CriteriaOut, self._get(f"/cases/{case_id}/criteria"))

    def criteria_check(self, case_id: str) -> EvaluationOut:
        return cast(EvaluationOut, self._post(f"/cases/{case_id}/criteria", None))

    def stays(self, case_id: str) -> list[dict[str, Any]]:
        """The case's stays at reception sites, newest first, each with its ``etag``."""
        return cast(list[dict[str, Any]], self._get(f"/cases/{case_id}/stays"))

    def return_plan(self, case_id: str, plan: str, *, if_match: str | None = None) -> StayOut:
        """Record the open stay's return plan. Without ``if_match`` the stay is read first and
        its ETag sent; a stay another party changed in between answers ``412``."""
        if if_match is None:
            if_match = self.stays(case_id)[0]["etag"]
        response = self.request(
            "PUT",
            f"/cases/{case_id}/return-plan",
            json_body={"plan": plan},
            headers={"If-Match": if_match},
        )
        return cast(StayOut, response.json())

    # The person ---------------------------------------------------------------------------

    def person(self, case_id: str) -> PersonDetailOut:
        """The case's person as your side may read it, with its ``etag``."""
        return cast(PersonDetailOut, self._get(f"/cases/{case_id}/person"))

    def person_update(
        self, case_id: str, changes: PersonPatchIn, *, if_match: str | None = None
    ) -> PersonDetailOut:
        """Change the fields given of the case's person (the party that recorded it). Without
        ``if_match`` the person is read first and its ETag sent; a person changed in between
        answers ``412``."""
        if if_match is None:
            if_match = self.person(case_id)["etag"]
        response = self.request(
            "PATCH",
            f"/cases/{case_id}/person",
            json_body=changes,
            headers={"If-Match": if_match},
        )
        return cast(PersonDetailOut, response.json())

    def person_document_add(
        self, case_id: str, document: PersonDocumentIn, *, idempotency_key: str | None = None
    ) -> DocumentOut:
        """Add an identity document to the case's person; repeat safely with the same key."""
        return cast(
            DocumentOut,
            self._post(
                f"/cases/{case_id}/person/documents",
                document,
                idempotency_key=idempotency_key or self.new_idempotency_key(),
            ),
        )

    def person_document_remove(self, case_id: str, document_id: str) -> None:
        """Remove an identity document of the case's person (one recorded in error)."""
        self.request("DELETE", f"/cases/{case_id}/person/documents/{document_id}")

    # Lists and applications ---------------------------------------------------------------

    def list_submit(
        self,
        agreement_id: str,
        *,
        reference: str,
        people: list[dict[str, Any]],
        only_valid_rows: bool = False,
        idempotency_key: str | None = None,
    ) -> ListOut | ImportOut:
        """Send a proposal list: a ``ListOut`` (201), or an ``ImportOut`` (202) when the list
        is too large for one request and became an import job (poll :meth:`import_job`)."""
        body: dict[str, Any] = {"reference": reference, "people": people}
        if only_valid_rows:
            body["only_valid_rows"] = True
        answer = self._post(
            f"/agreements/{agreement_id}/lists",
            body,
            idempotency_key=idempotency_key or self.new_idempotency_key(),
        )
        return cast(ListOut | ImportOut, answer)

    def import_job(self, import_id: str) -> ImportOut:
        return cast(ImportOut, self._get(f"/imports/{import_id}"))

    def application_submit(
        self, agreement_id: str, application: ApplicationIn, *, idempotency_key: str | None = None
    ) -> ApplicationOut:
        answer = self._post(
            f"/agreements/{agreement_id}/applications",
            application,
            idempotency_key=idempotency_key or self.new_idempotency_key(),
        )
        return cast(ApplicationOut, answer)

    def photo_send(
        self, case_id: str, photo: bytes, *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """Send (or replace) the person's photo of an application: JPEG or PNG bytes."""
        body = {"photo": base64.b64encode(photo).decode("ascii")}
        answer = self._post(
            f"/cases/{case_id}/photo",
            body,
            idempotency_key=idempotency_key or self.new_idempotency_key(),
        )
        return cast(dict[str, Any], answer)

    def photo(self, case_id: str) -> bytes:
        """The person's photo as stored (``image/jpeg`` or ``image/png``)."""
        return self.request("GET", f"/cases/{case_id}/photo").body

    # Screening ----------------------------------------------------------------------------

    def screening_run_start(
        self, agreement_id: str, *, reference: str = "", case_ids: list[str] | None = None
    ) -> RunOut:
        body: dict[str, Any] = {"reference": reference}
        if case_ids is not None:
            body["case_ids"] = case_ids
        return cast(RunOut, self._post(f"/agreements/{agreement_id}/screening-runs", body))

    def screening_run(self, run_id: str) -> RunOut:
        return cast(RunOut, self._get(f"/screening-runs/{run_id}"))

    def matches(self, case_id: str) -> list[MatchOut]:
        return cast(list[MatchOut], self._get(f"/cases/{case_id}/matches"))

    def match_review(
        self, match_id: str, decision: Literal["confirm", "dismiss"], reason: str
    ) -> MatchOut:
        body = {"decision": decision, "reason": reason}
        return cast(MatchOut, self._post(f"/matches/{match_id}/review", body))

    # Readmission: consular help, travel documents, costs ---------------------------------

    def consular_request_create(
        self, request: ConsularRequestIn, *, idempotency_key: str | None = None
    ) -> ConsularRequestOut:
        answer = self._post(
            "/consular-requests",
            request,
            idempotency_key=idempotency_key or self.new_idempotency_key(),
        )
        return cast(ConsularRequestOut, answer)

    def consular_request(self, request_id: str) -> ConsularRequestOut:
        return cast(ConsularRequestOut, self._get(f"/consular-requests/{request_id}"))

    def consular_request_transition(
        self, request_id: str, action: str, **fields: str
    ) -> ConsularRequestOut:
        body = {"action": action, **fields}
        return cast(
            ConsularRequestOut, self._post(f"/consular-requests/{request_id}/transitions", body)
        )

    def travel_document(self, case_id: str) -> TravelDocumentOut:
        return cast(TravelDocumentOut, self._get(f"/cases/{case_id}/travel-document"))

    def travel_document_pdf(self, case_id: str) -> bytes:
        return self.request("GET", f"/cases/{case_id}/travel-document.pdf").body

    def transfer_cost_create(self, case_id: str, cost: TransferCostIn) -> TransferCostOut:
        return cast(TransferCostOut, self._post(f"/cases/{case_id}/transfer-costs", cost))

    def transfer_costs(self, agreement_id: str) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], self._get(f"/agreements/{agreement_id}/transfer-costs"))

    # Events -------------------------------------------------------------------------------

    def webhook_create(
        self, organisation_id: str, *, url: str, event_types: list[str], description: str = ""
    ) -> SubscriptionCreatedOut:
        """Subscribe the organisation (as its administrator); the answer carries the signing
        ``secret``, shown this once."""
        body = {"url": url, "event_types": event_types, "description": description}
        return cast(
            SubscriptionCreatedOut, self._post(f"/organisations/{organisation_id}/webhooks", body)
        )

    def webhook_deliveries(self, subscription_id: str) -> list[DeliveryOut]:
        return cast(list[DeliveryOut], self._get(f"/webhooks/{subscription_id}/deliveries"))
