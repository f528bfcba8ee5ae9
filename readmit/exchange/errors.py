"""One error format for the exchange API: RFC 9457 problem documents.

Every refusal a service raises is an ``ApplicationError`` with a stable ``type`` slug; here
it becomes ``urn:readmit:problem:<slug>``. Ninja's own errors (authentication, validation,
unparseable bodies, 404) and anything unexpected are rendered in the same shape, so a
client needs one error parser. Unexpected errors are logged and answer a bare 500 that
names nothing about the cause.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from readmit.core.errors import (
    N_,
    ApplicationError,
    NotFound,
    TransitionRefused,
    ValidationFailed,
)
from readmit.ops import requestid

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:readmit:problem:"


class Unauthenticated(ApplicationError):
    """No bearer token, or one that is unknown, revoked or belongs to an inactive user."""

    status = 401
    default_type = "unauthenticated"
    title = "Unauthenticated"


class PreconditionRequired(ApplicationError):
    """A write needs ``If-Match`` with the ETag the caller read (RFC 6585, 428)."""

    status = 428
    default_type = "precondition-required"
    title = "Precondition required"


def problem_type(slug: str) -> str:
    return f"{TYPE_PREFIX}{slug}"


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if rid := requestid.current():
        # The id in the response header and on the server's log lines (docs/operations.md).
        body["request_id"] = rid
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    response = HttpResponse(
        json.dumps(body, default=str), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``{loc, msg}`` only: pydantic's context may hold objects that are not JSON."""
    return [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
        }
        for e in errors
    ]


def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    extra: dict[str, Any] = dict(exc.extra)
    if isinstance(exc, TransitionRefused):
        extra["rule"] = exc.rule
    if isinstance(exc, ValidationFailed):
        extra["errors"] = _field_errors(exc.errors)
    headers = {"WWW-Authenticate": 'Bearer realm="readmit"'} if exc.status == 401 else None
    return problem_response(
        request,
        status=exc.status,
        slug=exc.type,
        title=exc.title,
        detail=exc.message,
        extra=extra,
        headers=headers,
    )


def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = _field_errors(exc.errors)
    named = ", ".join(".".join(map(str, e["loc"])) for e in errors)
    return application_error(
        request,
        ValidationFailed(
            N_("The request is invalid: %(fields)s."), params={"fields": named}, errors=errors
        ),
    )


def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return application_error(
        request,
        Unauthenticated(N_("A valid API token is required: send 'Authorization: Bearer <token>'.")),
    )


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # Ninja's message for a body that is not JSON: name the body as the bad field.
        return application_error(
            request,
            ValidationFailed(
                N_("The request body is not valid JSON."),
                errors=[{"loc": ["body"], "msg": N_("malformed JSON")}],
            ),
        )
    return problem_response(
        request, status=exc.status_code, slug="http-error", title="Request refused", detail=str(exc)
    )


class PayloadTooLarge(ApplicationError):
    """The request body is larger than the documented limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""

    status = 413
    default_type = "payload-too-large"
    title = "Payload too large"


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = body_limit()
    return application_error(
        request,
        PayloadTooLarge(
            N_(
                "The request body is larger than the limit of %(limit)s bytes (%(mib)s MiB); "
                "nothing was written. Send a large list in several lists."
            ),
            params={"limit": limit, "mib": f"{limit / 1024 / 1024:g}"},
            extra={"limit_bytes": limit},
        ),
    )


def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return application_error(request, NotFound(N_("No such record.")))


def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in the exchange API", exc_info=exc)
    return problem_response(
        request,
        status=500,
        slug="internal-error",
        title="Internal server error",
        detail="An unexpected error occurred; it has been logged.",
    )


HANDLERS: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
    (Exception, server_error),
    (ApplicationError, application_error),
    (NinjaValidationError, validation_error),
    (AuthenticationError, authentication_error),
    (HttpError, http_error),
    (Http404, not_found),
    (RequestDataTooBig, too_large),
]


def register(api: NinjaAPI) -> None:
    """The most specific handler wins (Ninja looks along the exception's MRO)."""
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)
