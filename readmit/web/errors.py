"""Turn the one ``ApplicationError`` shape into page responses.

Refusals are translated here, at the edge (docs/adr/0027-translated-refusals.md): services
and the pure cores raise an English message id with its parameters apart, and
``message_of`` gives it in the reader's language; the API keeps the English.

"Not yours" and "does not exist" must answer alike, so ``NotFound`` becomes Django's 404
(rendered by ``404.html``) and ``Forbidden`` its 403; any other refusal shows its message on
``web/refused.html`` with the error's own status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext

from readmit.core.errors import ApplicationError, Forbidden, NotFound, Term
from readmit.web.presenters import humanize

View = Callable[..., HttpResponseBase]


def translated(text: str, params: Mapping[str, Any] | None = None) -> str:
    """An English message id in the reader's language, its parameters filled in (a ``Term``
    shown as its label, every other value as it is: names and data are never translated).
    A message nobody marked comes back in English, as it was raised."""
    local = gettext(text) if text else text
    if not params:
        return local
    values = {k: humanize(v) if isinstance(v, Term) else v for k, v in params.items()}
    try:
        return local % values
    except (KeyError, ValueError, TypeError):  # a catalogue entry that lost a placeholder
        return text % values


def message_of(exc: ApplicationError) -> str:
    """A refusal's message in the reader's language (the page's; the API keeps ``message``)."""
    return translated(exc.template, exc.params)


def field_message(error: Mapping[str, Any]) -> str:
    """One field's message of a ``ValidationFailed`` in the reader's language: its message id
    and values (``{"template", "params"}``, ``readmit.core.errors.field_error``) where it has
    them, else its ``msg`` where that is a marked constant."""
    template = error.get("template")
    if template:
        return translated(str(template), error.get("params"))
    return translated(str(error.get("msg", "")))


def application_errors(view: View) -> View:
    """Decorate a view so that service and gate refusals become proper responses."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(message_of(exc)) from exc
        except ApplicationError as exc:
            context = {"error": exc, "title": gettext(exc.title), "message": message_of(exc)}
            return render(request, "web/refused.html", context, status=exc.status)

    return wrapper


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (not a history restore, which needs a page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
