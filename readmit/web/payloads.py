"""The web form of an action's payload, derived from the payload model the hooks declared
(``readmit.core.payloads``, ``register_transition_hook(..., payload=Model)``).

Nothing about the fields is written here: the model's field types say the widget (a flag is
a checkbox, a ``Moment`` a local date and time, a ``Day`` a date, a ``Literal`` or an enum a
select), ``Field(title=, description=)`` the label and the hint, and whether it is required.
Fields marked ``Choices(source)`` list what the case offers (its agreement's sites, its open
holds, the requested state's missions). Whether a value is acceptable is decided by the
model and the hooks, whose ``ValidationFailed`` names the field and is shown on the form.
Times are typed as a wall-clock date and time in the user's zone (the zone the middleware
activated, named next to the field) and passed on as ISO 8601 in UTC; a time that does not
exist or happens twice in that zone is refused here, naming the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.utils import timezone
from django.utils.translation import gettext
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from readmit.accounts.models import Organisation
from readmit.cases.models import Case
from readmit.cases.services import payload_model
from readmit.core.errors import N_, ValidationFailed, field_error
from readmit.core.payloads import ActionPayload, Choices
from readmit.core.zones import ZoneError, to_utc
from readmit.web.presenters import humanize


@dataclass(frozen=True)
class PayloadField:
    """One input of an action form, as derived from a payload model's field."""

    name: str
    label: str
    widget: str  # "text", "select", "checkbox", "datetime", "date"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    source: str = ""  # the case's choices to list (``Choices``), for a select
    default: Any = ""


@dataclass
class BoundField:
    spec: PayloadField
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def input_name(self) -> str:
        return f"payload-{self.spec.name}"


def _unwrap(info: FieldInfo) -> tuple[Any, list[Any]]:
    """The field's type without ``None`` and ``Annotated``, and its metadata."""
    annotation: Any = info.annotation
    metadata = list(info.metadata)
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Annotated:
        metadata.extend(annotation.__metadata__)
        annotation = get_args(annotation)[0]
    return annotation, metadata


def _spec(name: str, info: FieldInfo) -> PayloadField:
    annotation, metadata = _unwrap(info)
    required = info.is_required()
    default = info.default if info.default not in (PydanticUndefined, None) else ""
    blank = ("", gettext("Choose …") if required else "—")
    choices: tuple[tuple[str, str], ...] = ()
    source = next((m.source for m in metadata if isinstance(m, Choices)), "")
    if source:
        widget = "select"
    elif annotation is bool:
        widget = "checkbox"
    elif annotation is dt.datetime:
        widget = "datetime"
    elif annotation is dt.date:
        widget = "date"
    elif get_origin(annotation) is Literal:
        widget = "select"
        choices = (blank, *((str(v), humanize(v)) for v in get_args(annotation)))
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        widget = "select"
        choices = (
            blank,
            *((str(m.value), str(getattr(m, "label", humanize(m.value)))) for m in annotation),
        )
    else:
        widget = "text"
    if isinstance(default, enum.Enum):
        default = default.value
    return PayloadField(
        name=name,
        label=gettext(info.title) if info.title else humanize(name),
        widget=widget,
        required=required,
        choices=choices,
        hint=info.description or "",
        source=source,
        default=default,
    )


def payload_specs(model: type[ActionPayload]) -> tuple[PayloadField, ...]:
    """The form inputs of a payload model, in the model's field order."""
    return tuple(_spec(name, info) for name, info in model.model_fields.items())


def _case_choices(case: Case, source: str, required: bool) -> list[tuple[str, str]]:
    if source == "sites":
        found = [(str(s.id), f"{s.name} ({s.capacity} places)") for s in case.agreement.sites.all()]
    elif source == "open_holds":
        found = [
            (str(h.id), f"{h.get_kind_display()}, {h.authority} {h.reference} ({h.side})")
            for h in case.legal_holds.filter(lifted_at__isnull=True)
        ]
    elif source == "missions":
        receiving = case.agreement.receiving_party
        found = (
            [
                (str(o.id), o.name)
                for o in Organisation.objects.filter(
                    country_id=receiving.organisation.country_id
                ).order_by("name")
            ]
            if receiving is not None
            else []
        )
    else:
        raise LookupError(f"No choices named '{source}' for a payload field.")
    return [("", gettext("Choose …") if required else "—"), *found]


def payload_fields(
    case: Case, action: str, values: Mapping[str, Any] | None = None
) -> list[BoundField]:
    bound = []
    for spec in payload_specs(payload_model(case.kind, action)):
        choices = (
            _case_choices(case, spec.source, spec.required) if spec.source else list(spec.choices)
        )
        value = (values or {}).get(spec.name, spec.default if values is None else "")
        bound.append(BoundField(spec, value, choices))
    return bound


class PayloadRefused(ValidationFailed):
    """A typed value the page cannot pass on; ``shown`` keeps what was typed for the form."""

    def __init__(self, refused: Sequence[ValidationFailed], *, shown: dict[str, Any]):
        # The first field's refusal is the message (one whole marked sentence: a page shows it
        # in the reader's language); ``errors`` names every refused field.
        first = refused[0]
        errors = [e for exc in refused for e in exc.errors]
        super().__init__(first.template, params=first.params, errors=errors)
        self.shown = shown


def _aware(name: str, value: str) -> str:
    """``2026-12-01T09:30`` typed in the user's zone becomes ISO 8601 in UTC."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # the payload model names the field as malformed
    try:
        return to_utc(moment, timezone.get_current_timezone()).isoformat()
    except ZoneError as exc:
        skipped = exc.kind == "skipped"
        refusal = (
            N_("%(field)s: %(time)s does not exist in %(zone)s (clocks change).")
            if skipped
            else N_(
                "%(field)s: %(time)s happens twice in %(zone)s (clocks go back); choose a time "
                "outside that hour."
            )
        )
        raise ValidationFailed(
            refusal,
            params={"field": name, **exc.params},
            errors=[
                field_error(
                    ["payload", name],
                    N_("%(time)s does not exist in %(zone)s (clocks change)")
                    if skipped
                    else N_(
                        "%(time)s happens twice in %(zone)s (clocks go back); choose a time "
                        "outside that hour"
                    ),
                    **exc.params,
                )
            ],
        ) from None


def payload_from_post(
    case: Case, action: str, post: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payload for the service, values to show again in the form).

    ``PayloadRefused`` (naming the field) for a local time the user's zone cannot read.
    """
    payload: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    refused: list[ValidationFailed] = []
    for spec in payload_specs(payload_model(case.kind, action)):
        name, raw = spec.name, post.get(f"payload-{spec.name}", "")
        if spec.widget == "checkbox":
            payload[name] = shown[name] = raw in ("on", "true", "1")
            continue
        shown[name] = raw = str(raw).strip()
        if raw and spec.widget == "datetime":
            try:
                payload[name] = _aware(name, raw)
            except ValidationFailed as exc:
                refused.append(exc)
        elif raw:
            payload[name] = raw
    if refused:
        raise PayloadRefused(refused, shown=shown)
    return payload, shown
