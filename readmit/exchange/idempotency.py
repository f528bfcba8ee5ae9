"""``Idempotency-Key`` on every creating request, in one place.

A creating request is a ``POST`` that answers ``201`` or ``202``. Sent with an
``Idempotency-Key``, the first request claims the key for its user (a short transaction of
its own, so a long import never holds a lock for it); when it answers ``201``/``202`` the
answer is kept, and a repeat with the same key, method, path and body answers exactly that
again (status, body, ``Location``, ``ETag``) with ``Idempotent-Replayed: true``, creating
nothing. The same key with another request answers ``409 idempotency-key-reused``; a repeat
while the first is still running, ``409`` too (repeat it later). A refusal keeps nothing:
the key may be used again. Answers are kept for :data:`KEEP_FOR`.

Three creating operations keep their own rule, in their services, because it means more
than a replay there: a proposal list is also known by its ``reference``, a readmission
application and a consular request by their organisation's key (:data:`OWN_RULE`). They
declare the same header (:data:`IDEMPOTENCY_KEY`).

Wired into the API as a Ninja "view" decorator (:func:`idempotent`, before validation:
it sees the whole answer) and an "operation" decorator (:func:`claim`, after
authentication: it knows the caller).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.http.response import HttpResponseBase
from ninja.params.functions import Header

from readmit.core import clock
from readmit.core.errors import N_, ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.models import IdempotentRequest
from readmit.relocation.services import IdempotencyConflict

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
KEEP_FOR = dt.timedelta(hours=24)
CREATED = frozenset({201, 202})
# Operations whose services apply their own, richer rule to the same header.
OWN_RULE = frozenset(
    {"proposal_list_create", "readmission_application_create", "consular_request_create"}
)
REPLAYED_HEADERS = ("Location", "ETag")
# The operations :func:`idempotent` wrapped (filled as Ninja binds the routers).
COVERED: set[str] = set()
DESCRIPTION = (
    "Send a key of your own (at most 200 characters, e.g. a UUID) to repeat a creating request "
    "safely: the first answer is kept for 24 hours and a repeat with the same key and body "
    "answers it again (`Idempotent-Replayed: true`), creating nothing; the same key with "
    "another request answers 409 `idempotency-key-reused`."
)
IDEMPOTENCY_KEY = Header(None, alias=HEADER, description=DESCRIPTION)
PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": DESCRIPTION,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
}


class Replay(Exception):
    """Raised by :func:`claim` to answer a kept response (see :func:`replay_response`)."""

    def __init__(self, kept: IdempotentRequest) -> None:
        super().__init__(kept.key)
        self.kept = kept


@dataclass
class _State:
    key: str
    claimed: IdempotentRequest | None = None


def creates(method: str, statuses: Any) -> bool:
    """Whether an operation creates: a POST that may answer 201 or 202."""
    return method.upper() == "POST" and bool(CREATED & {int(s) for s in statuses})


def _digest(request: HttpRequest) -> str:
    sha = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        sha.update(request.body)
    except RawPostDataException:  # multipart: read already; digest what it carried
        for name, values in sorted(request.POST.lists()):
            sha.update(f"{name}={values!r}\n".encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                sha.update(f"{name}:{upload.name}:{upload.size}:".encode())
                for chunk in upload.chunks():
                    sha.update(chunk)
                upload.seek(0)
    return sha.hexdigest()


def _claim(request: HttpRequest, key: str) -> IdempotentRequest:
    user = caller(request)
    digest = _digest(request)
    now = clock.now()
    for _ in range(2):
        IdempotentRequest.objects.filter(user=user, created_at__lt=now - KEEP_FOR).delete()
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    method=request.method or "POST",
                    path=request.path,
                    digest=digest,
                    created_at=now,
                )
        except IntegrityError:
            kept = IdempotentRequest.objects.filter(user=user, key=key).first()
            if kept is None:  # it expired or was released meanwhile: claim it again
                continue
            if kept.digest != digest or kept.path != request.path:
                raise IdempotencyConflict(
                    N_(
                        "The Idempotency-Key was already used with a different request "
                        "(%(method)s %(path)s): idempotency key reused with a different request."
                    ),
                    params={"method": kept.method, "path": kept.path},
                    extra={"errors": [{"loc": ["header", HEADER], "msg": "already used"}]},
                ) from None
            if kept.status is None:
                raise IdempotencyConflict(
                    N_(
                        "A request with this Idempotency-Key is still running; repeat it later "
                        "to read its answer."
                    )
                ) from None
            raise Replay(kept) from None
    raise IdempotencyConflict(N_("The Idempotency-Key could not be claimed; repeat the request."))


def claim(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator: after authentication, claim the key or replay its answer."""

    @functools.wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        state: _State | None = getattr(request, "_readmit_idempotency", None)
        if state is not None:
            check_key(request)
            state.claimed = _claim(request, state.key)
        return view_func(request, *args, **kwargs)

    return wrapper


def _keep(claimed: IdempotentRequest, response: HttpResponseBase) -> None:
    if response.status_code in CREATED and isinstance(response, HttpResponse):
        claimed.status = response.status_code
        claimed.content_type = response.get("Content-Type", "")
        claimed.headers = {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)}
        claimed.body = bytes(response.content)
        claimed.save(update_fields=["status", "content_type", "headers", "body", "updated_at"])
    else:  # refused, or not an answer to keep: the key is free again
        IdempotentRequest.objects.filter(id=claimed.id, status__isnull=True).delete()


def idempotent(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """View decorator for every operation: creating ones honour ``Idempotency-Key``."""
    operation = getattr(run, "__self__", None)
    methods = getattr(operation, "methods", ())
    statuses = getattr(operation, "response_models", {}) or {}
    if (
        operation is None
        or getattr(operation, "operation_id", None) in OWN_RULE
        or not any(creates(m, statuses) for m in methods)
    ):
        return run
    COVERED.add(str(getattr(operation, "operation_id", "") or ""))

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return run(request, *args, **kwargs)
        state = _State(key=key)
        request._readmit_idempotency = state  # type: ignore[attr-defined]
        try:
            response = run(request, *args, **kwargs)
        finally:
            del request._readmit_idempotency  # type: ignore[attr-defined]
        if state.claimed is not None:
            _keep(state.claimed, response)
        return response

    return wrapper


def check_key(request: HttpRequest) -> None:
    """A key longer than the limit is refused before anything is claimed."""
    key = request.headers.get(HEADER, "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            N_("The Idempotency-Key is longer than %(limit)s characters."),
            params={"limit": MAX_KEY_LENGTH},
            errors=[{"loc": ["header", HEADER], "msg": f"at most {MAX_KEY_LENGTH} characters"}],
        )


def replay_response(request: HttpRequest, exc: Replay) -> HttpResponse:
    """The exception handler of :class:`Replay`: the kept answer, once more."""
    kept = exc.kept
    response = HttpResponse(
        bytes(kept.body), status=kept.status or 200, content_type=kept.content_type or None
    )
    for name, value in kept.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response
