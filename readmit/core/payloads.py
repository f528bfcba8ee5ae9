"""Typed action payloads: the one description of what a workflow action takes.

A transition hook declares its input as a subclass of ``ActionPayload`` when it registers
(``register_transition_hook(kind, action, hook, payload=Model)``). ``case_transition``
validates the payload against it once, before any hook runs, and hands the hooks the model;
the web form (``readmit.web.payloads``) and the API's OpenAPI document are derived from the
same model, so a field added here shows on both with no other edit.

Fields say what they are with pydantic: the type (text, ``Moment``, ``Day``, ``Flag``, a
``Literal`` or an enum for a choice), ``Field(title=..., description=...)`` for the label and
the hint, ``max_length`` for text, ``min_length=1`` for required text. Unknown fields are
refused; text carries the control-character rule of ``readmit.core.strict``. Rules that need
the clock or the database (not in the future, a site of this agreement) stay in the hooks;
rules between fields that need neither go in ``problems()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from readmit.core.errors import N_, ValidationFailed
from readmit.core.strict import TEXT_MESSAGE, bad_text, declare_text_pattern

OFFSET_EXAMPLE = "e.g. 2026-03-01T09:00:00-05:00 or ...T14:00:00Z"


def _moment(value: Any) -> Any:
    """An ISO 8601 date and time with its UTC offset (a string or an aware datetime)."""
    if isinstance(value, dt.datetime):
        parsed: dt.datetime | None = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:  # malformed, or well formed but impossible (month 13)
            parsed = None
    else:
        parsed = None
    if parsed is None:
        raise PydanticCustomError(
            "moment", "is required, as an ISO 8601 date and time with its offset"
        )
    if parsed.tzinfo is None:
        # Never guessed: the same wall-clock time is hours apart in the two parties' zones.
        raise PydanticCustomError(
            "moment_without_offset", f"has no UTC offset: give one ({OFFSET_EXAMPLE})"
        )
    return parsed


def _day(value: Any) -> Any:
    """An ISO 8601 date (YYYY-MM-DD), as a string or a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("day", "is required, as an ISO 8601 date (YYYY-MM-DD)")


# A date and time with its UTC offset; naive ones are refused, never guessed in a zone.
Moment = Annotated[
    dt.datetime,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
# A calendar date, YYYY-MM-DD.
Day = Annotated[
    dt.date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date"})
]
# true or false, nothing else ("on", 1 and "yes" are refused).
Flag = Annotated[bool, Strict()]


@dataclass(frozen=True)
class Choices:
    """Marks a field whose choices come from the case (its agreement's sites, its open
    holds ...): ``source`` names them for the web form, which lists them."""

    source: str


class ActionPayload(BaseModel):
    """Base of every action payload: unknown fields refused, text stripped and without
    control characters, ``problems()`` for rules between fields."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        json_schema_extra=declare_text_pattern,
    )
    # An example that validates against the model, for the OpenAPI document and docs/api.md.
    example: ClassVar[dict[str, Any]] = {}

    @field_validator("*", mode="after")
    @classmethod
    def _strict_text(cls, value: Any, info: ValidationInfo) -> Any:
        for path in bad_text(value):
            where = ".".join(str(p) for p in path)
            raise PydanticCustomError(
                "control_character",
                "{where}" + TEXT_MESSAGE,
                {"where": f"at {where}: " if where else ""},
            )
        return value

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for every rule between fields this payload breaks."""
        return []


class NoPayload(ActionPayload):
    """The action takes no payload: an empty object (or none)."""


REQUIRED = N_("is required")
NOT_A_FIELD = N_("is not a field of this action's payload")


def _message(error: Any) -> str:
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return REQUIRED
    if kind == "extra_forbidden":
        return NOT_A_FIELD
    if kind == "string_too_short" and context.get("min_length") == 1:
        return REQUIRED
    if kind == "string_too_long":
        return f"is longer than {context.get('max_length')} characters"
    return str(error["msg"])


def payload_validate(model: type[ActionPayload], data: Any) -> ActionPayload:
    """The payload as ``model``, or ``ValidationFailed`` naming every bad field as
    ``["payload", field, ...]``; nothing else is checked here."""
    try:
        value = model.model_validate({} if data is None else data)
    except ValidationError as exc:
        errors = [
            {"loc": ["payload", *e["loc"]], "msg": _message(e)}
            for e in exc.errors(include_url=False)
        ]
        raise _refusal(errors) from None
    errors = [{"loc": ["payload", name], "msg": msg} for name, msg in value.problems()]
    if errors:
        raise _refusal(errors)
    return value


# One field's refusal as one whole sentence (a page shows it in the reader's language); a
# message that is not one of these (pydantic's own, a payload's ``problems``) is a value.
_SENTENCES = {
    REQUIRED: N_("%(field)s: is required."),
    NOT_A_FIELD: N_("%(field)s: is not a field of this action's payload."),
}


def _refusal(errors: list[dict[str, Any]]) -> ValidationFailed:
    fields = [".".join(str(p) for p in e["loc"][1:]) or "payload" for e in errors]
    if len(errors) > 1:
        return ValidationFailed(
            N_("The payload is invalid in these fields: %(fields)s."),
            params={"fields": ", ".join(fields)},
            errors=errors,
        )
    problem = str(errors[0]["msg"])
    template = _SENTENCES.get(problem, N_("%(field)s: %(problem)s."))
    return ValidationFailed(
        template, params={"field": fields[0], "problem": problem}, errors=errors
    )
