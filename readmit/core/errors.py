"""The one error shape every service raises and every interface renders.

Pure Python: the workflow table and the screening core raise these too. The API turns them
into RFC 9457 problem documents; pages show ``message``; the CLI prints it and exits non-zero.
Each subclass carries a stable ``type`` slug that clients may rely on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


def N_(text: str) -> str:
    """Mark an English message for the interface catalogues without translating it.

    The pure cores have no Django: they raise with a stable English text (marked with this,
    ``makemessages --keyword=N_``) and its parameters apart, and the web translates both at the
    edge (``readmit.web.errors.message_of``). The API keeps the English ``message``.
    """
    return text


class Term(str):
    """A parameter that is a code of the shared vocabulary (a workflow state or action, a
    choice): the English message and the API keep the code, pages show its label in the
    reader's language."""

    __slots__ = ()


class ApplicationError(Exception):
    """A refusal with a message meant for the person who asked."""

    status: ClassVar[int] = 400
    default_type: ClassVar[str] = "bad-request"
    title: ClassVar[str] = N_("Bad request")

    def __init__(
        self,
        message: str,
        *,
        type: str | None = None,
        extra: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        # ``template`` is the English message id, ``params`` its named values: ``message`` is
        # the English sentence (the API's ``detail``, logs, the CLI); pages translate
        # ``template`` and fill in ``params`` in the reader's language.
        self.template = message
        self.params: dict[str, Any] = dict(params or {})
        if self.params:
            message = message % self.params
        super().__init__(message)
        self.message = message
        self.type = type or self.default_type
        self.extra: dict[str, Any] = dict(extra or {})


class NotFound(ApplicationError):
    """Does not exist, or exists but is not the caller's to see: both answer the same."""

    status = 404
    default_type = "not-found"
    title = N_("Not found")


class Forbidden(ApplicationError):
    """The caller may see the record but their role or side may not do this."""

    status = 403
    default_type = "forbidden"
    title = N_("Forbidden")


class TransitionRefused(ApplicationError):
    """The workflow or a rule of the agreement refuses a change; nothing was written.

    ``rule`` names what refused it (``workflow``, ``quota``, ``capacity``, ``legal-hold``,
    ``exclusion`` ...) and becomes the problem type.
    """

    status = 409
    default_type = "transition-refused"
    title = N_("Refused by a rule")

    def __init__(self, message: str, *, rule: str = "workflow", **kwargs: Any) -> None:
        super().__init__(message, type=kwargs.pop("type", rule), **kwargs)
        self.rule = rule


class PreconditionFailed(ApplicationError):
    """The caller's copy is stale (``If-Match`` does not match the current ``ETag``)."""

    status = 412
    default_type = "precondition-failed"
    title = N_("Precondition failed")


def field_error(loc: Sequence[str | int], template: str, **params: Any) -> dict[str, Any]:
    """One bad field of a ``ValidationFailed``, shaped like a refusal: ``msg`` is the English
    sentence (the API's), ``template`` its marked message id and ``params`` its values apart,
    so that pages give it in the reader's language (``readmit.web.errors.field_message``)."""
    return {
        "loc": list(loc),
        "msg": template % params if params else template,
        "template": template,
        "params": params,
    }


class ValidationFailed(ApplicationError):
    """Input is malformed; ``errors`` names each bad field, as ``{"loc": [...], "msg": ...}``
    (with ``template`` and ``params`` when made by ``field_error``)."""

    status = 422
    default_type = "validation-failed"
    title = N_("Invalid input")

    def __init__(
        self, message: str, *, errors: Sequence[Mapping[str, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.errors = [dict(e) for e in errors]
