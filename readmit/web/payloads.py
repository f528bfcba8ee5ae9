"""The extra inputs some actions take, as the transition hooks read them from ``payload``.

Only how to ask for them lives here (label, widget, choices); whether a value is acceptable
is decided by the hooks, whose ``ValidationFailed`` names the field and is shown on the form.
Times are typed in the user's browser as local date and time and sent with the UTC offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from readmit.cases.models import Case


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


# Relocation and reception take these inputs; readmission actions only the holds'.
PAYLOAD_KINDS = frozenset({"relocation", "reception"})
HOLD_ACTIONS = frozenset({"place_legal_hold", "lift_legal_hold"})


def payload_fields(
    case: Case, action: str, values: Mapping[str, Any] | None = None
) -> list[BoundField]:
    if case.kind not in PAYLOAD_KINDS and action not in HOLD_ACTIONS:
        return []
    bound = []
    for spec in _specs().get(action, ()):
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


def _aware(value: str) -> str:
    """``2026-12-01T09:30`` typed locally becomes ISO 8601 with the active zone's offset."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # the hook names the field as malformed
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.isoformat()


def payload_from_post(
    case: Case, action: str, post: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payload for the service, values to show again in the form)."""
    payload: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    for bound in payload_fields(case, action):
        raw = post.get(bound.input_name, "")
        if bound.spec.widget == "checkbox":
            payload[bound.spec.name] = shown[bound.spec.name] = raw in ("on", "true", "1")
            continue
        raw = str(raw).strip()
        shown[bound.spec.name] = raw
        if raw:
            payload[bound.spec.name] = _aware(raw) if bound.spec.widget == "datetime" else raw
    return payload, shown
