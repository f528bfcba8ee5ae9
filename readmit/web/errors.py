"""Turn the one ``ApplicationError`` shape into page responses.

"Not yours" and "does not exist" must answer alike, so ``NotFound`` becomes Django's 404
(rendered by ``404.html``) and ``Forbidden`` its 403; any other refusal shows its message on
``web/refused.html`` with the error's own status.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from readmit.core.errors import ApplicationError, Forbidden, NotFound

View = Callable[..., HttpResponseBase]


def application_errors(view: View) -> View:
    """Decorate a view so that service and gate refusals become proper responses."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            return render(request, "web/refused.html", {"error": exc}, status=exc.status)

    return wrapper


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (not a history restore, which needs a page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
