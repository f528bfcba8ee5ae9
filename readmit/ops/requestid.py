"""One id per request: taken from a safe incoming ``X-Request-ID``, else generated.

The id is echoed in the response header, put on every log line written while the request is
handled (``RequestIdFilter``) and into problem documents (``current()``). It lives in a
context variable, so threads and async tasks each see their own.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

HEADER = "X-Request-ID"
# Letters, digits and . _ - : only, at most 64: nothing that could forge a log line or carry
# personal data of any length. Anything else is replaced by a fresh id.
SAFE = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("readmit_request_id", default="")
access_log = logging.getLogger("readmit.request")


def current() -> str:
    """The id of the request being handled, or "" outside a request."""
    return _current.get()


def accept(incoming: str | None) -> str:
    """The caller's id if it is safe, else a new one."""
    if incoming and SAFE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def route_name(request: HttpRequest) -> str:
    """The matched route's name (never the raw path: no ids in labels), or "unmatched"."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # A middleware answered before the view (e.g. the login redirect): resolve it here.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return match.view_name or match.route or "unnamed"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _current.get()
        return True


def request_id(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """First middleware: sets the id, times the request, writes one access line, and
    records the latency metric under the route's name."""
    from readmit.ops import metrics

    def middleware(request: HttpRequest) -> HttpResponse:
        rid = accept(request.headers.get(HEADER))
        token = _current.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = get_response(request)
            elapsed = time.perf_counter() - started
            route = route_name(request)
            metrics.observe_request(route, request.method or "", response.status_code, elapsed)
            response[HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    # The path without its query string: searches may carry names.
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            return response
        finally:
            _current.reset(token)

    return middleware
