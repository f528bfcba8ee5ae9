"""The extra inputs some actions take, as the transition hooks read them from ``payload``.

Only how to ask for them lives here (label, widget, choices); whether a value is acceptable
is decided by the hooks, whose ``ValidationFailed`` names the field and is shown on the form.
Times are typed as a wall-clock date and time in the user's zone (the zone the middleware
activated, named next to the field) and passed on as ISO 8601 in UTC; a time that does not
exist or happens twice in that zone is refused here, naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from readmit.cases.models import Case
from readmit.core.errors import ValidationFailed
from readmit.core.zones import ZoneError, to_utc


@dataclass(frozen=True)
class PayloadField:
    name: str
    label: str
    widget: str  # "text", "select", "checkbox", "datetime", "date"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""


@dataclass
class BoundField:
    spec: PayloadField
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def input_name(self) -> str:
        return f"payload-{self.spec.name}"


def _choices(model_choices: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in model_choices)


def _specs() -> dict[str, tuple[PayloadField, ...]]:
    from readmit.relocation.models import HoldKind, StayOutcome

    transfer = (
        PayloadField("planned_for", "Planned for", "datetime", required=True),
        PayloadField("route", "Route", "text", required=True, hint="e.g. flight, via"),
        PayloadField("escort", "Escort", "text"),
        PayloadField("notice_language", "Notice given in language", "text", required=True),
        PayloadField("notice_given_at", "Notice given at", "datetime", hint="Leave empty for now"),
        PayloadField("urgent", "Urgent case (shorter notice)", "checkbox"),
    )
    return {
        "recommend": (
            PayloadField(
                "recommendation",
                "Recommendation",
                "select",
                choices=(("", "No recommendation"), ("select", "Select"), ("decline", "Decline")),
            ),
        ),
        "place_legal_hold": (
            PayloadField(
                "kind",
                "Kind of hold",
                "select",
                required=True,
                choices=(("", "Choose …"), *_choices(HoldKind.choices)),
            ),
            PayloadField(
                "authority",
                "Authority (court or body)",
                "text",
                required=True,
                hint="e.g. Court of Rome, European Court of Human Rights, asylum office",
            ),
            PayloadField("reference", "Its reference", "text", required=True),
            PayloadField("decided_on", "Decided on", "date", required=True),
        ),
        "lift_legal_hold": (
            PayloadField("hold", "Hold to lift", "select"),
            PayloadField(
                "court_reference",
                "Court decision lifting it (reference)",
                "text",
                hint="Without one, only a supervisor of the side that placed the hold lifts it",
            ),
        ),
        "schedule_transfer": transfer,
        "reject": (
            PayloadField(
                "rebuttal",
                "Rebuttal of the proof of nationality",
                "text",
                hint="Required while proof stands: the reasons that rebut it",
            ),
        ),
        "record_arrival": (PayloadField("site", "Site", "select", required=True),),
        "record_departure": (
            PayloadField(
                "outcome",
                "Outcome",
                "select",
                required=True,
                choices=(("", "Choose …"), *_choices(StayOutcome.choices)),
            ),
            PayloadField(
                "court_ordered", "Transferred back or released on a court order", "checkbox"
            ),
        ),
    }


def _readmission_specs() -> dict[str, tuple[PayloadField, ...]]:
    """Readmission's travel document, transfer plan and handover (``cases.travel``)."""
    from readmit.cases.models import TravelDocumentType

    plan = tuple(
        PayloadField(f.name, f.label, f.widget, hint="or a crossing point / flight below")
        if f.name == "route"
        else f
        for f in _specs()["schedule_transfer"]
    )
    return {
        "issue_travel_document": (
            PayloadField(
                "type",
                "Type",
                "select",
                required=True,
                choices=(("", "Choose …"), *_choices(TravelDocumentType.choices)),
            ),
            PayloadField("number", "Number", "text", required=True),
            PayloadField("valid_from", "Valid from", "date", hint="Leave empty for today"),
            PayloadField("valid_until", "Valid until", "date", required=True),
            PayloadField(
                "prior_consent_reference",
                "Prior consent of the requested state (reference)",
                "text",
                hint="EU travel document, where the agreement needs it",
            ),
            PayloadField("prior_consent_given_on", "Consent given on", "date"),
        ),
        "schedule_transfer": (
            *plan,
            PayloadField("crossing_point", "Border crossing point", "text"),
            PayloadField("flight", "Flight", "text", hint="e.g. JFK-TGD via VIE"),
            PayloadField(
                "medical_needs", "Medical needs", "text", required=True, hint='"none" is an answer'
            ),
        ),
        "accept": (
            PayloadField(
                "verification",
                "Outcome of the verification of nationality",
                "text",
                hint="Required where prima facie evidence only opens a verification",
            ),
        ),
        "record_transfer": (
            PayloadField("received_by", "Received by (officer)", "text", required=True),
            PayloadField("place", "Place of the handover", "text", required=True),
            PayloadField("handed_over_at", "Handed over at", "datetime", hint="Empty for now"),
            PayloadField("handed_over_by", "Handed over by (escort)", "text"),
        ),
    }


# Relocation and reception take these inputs; readmission its own and the holds'.
PAYLOAD_KINDS = frozenset({"relocation", "reception"})
HOLD_ACTIONS = frozenset({"place_legal_hold", "lift_legal_hold"})
# Readmission actions that take inputs: a rejection's rebuttal of proof (cases.intake).
READMISSION_INPUTS = frozenset({"reject"})


def payload_fields(
    case: Case, action: str, values: Mapping[str, Any] | None = None
) -> list[BoundField]:
    if case.kind == "readmission" and action not in HOLD_ACTIONS:
        specs = _readmission_specs().get(action) or (
            _specs().get(action, ()) if action in READMISSION_INPUTS else ()
        )
    elif case.kind not in PAYLOAD_KINDS and action not in HOLD_ACTIONS:
        return []
    else:
        specs = _specs().get(action, ())
    bound = []
    for spec in specs:
        choices = list(spec.choices)
        if spec.name == "site" and spec.widget == "select":
            choices = [("", "Choose …")] + [
                (str(s.id), f"{s.name} ({s.capacity} places)") for s in case.agreement.sites.all()
            ]
        if spec.name == "hold":
            choices = [
                (str(h.id), f"{h.get_kind_display()}, {h.authority} {h.reference} ({h.side})")
                for h in case.legal_holds.filter(lifted_at__isnull=True)
            ]
        bound.append(BoundField(spec, (values or {}).get(spec.name, ""), choices))
    return bound


class PayloadRefused(ValidationFailed):
    """A typed value the page cannot pass on; ``shown`` keeps what was typed for the form."""

    def __init__(self, message: str, *, errors: list[dict[str, Any]], shown: dict[str, Any]):
        super().__init__(message, errors=errors)
        self.shown = shown


def _aware(name: str, value: str) -> str:
    """``2026-12-01T09:30`` typed in the user's zone becomes ISO 8601 in UTC."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # the hook names the field as malformed
    try:
        return to_utc(moment, timezone.get_current_timezone()).isoformat()
    except ZoneError as exc:
        raise ValidationFailed(
            f"{name}: {exc}.", errors=[{"loc": ["payload", name], "msg": str(exc)}]
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
    for bound in payload_fields(case, action):
        name, raw = bound.spec.name, post.get(bound.input_name, "")
        if bound.spec.widget == "checkbox":
            payload[name] = shown[name] = raw in ("on", "true", "1")
            continue
        shown[name] = raw = str(raw).strip()
        if raw and bound.spec.widget == "datetime":
            try:
                payload[name] = _aware(name, raw)
            except ValidationFailed as exc:
                refused.append(exc)
        elif raw:
            payload[name] = raw
    if refused:
        errors = [e for exc in refused for e in exc.errors]
        raise PayloadRefused(" ".join(e.message for e in refused), errors=errors, shown=shown)
    return payload, shown
