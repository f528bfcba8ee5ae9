"""The transition body as OpenAPI publishes it: a union discriminated by ``action``.

One member per action of the workflow tables (``readmit.cases.workflow``), each with the
payload its hooks declared (``register_transition_hook(..., payload=Model)``; an action that
declares none takes an empty object) and an example built from the payload model's own
``example``. Built when the document is generated, from the registrations of that moment,
so a field added to a payload model is published with no other edit.

Requests are still read as ``TransitionIn`` (``{action, reason, payload}``) and the payload
is validated by ``case_transition``: the union is the contract, not a second validator.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Annotated, Any, Literal, Union, cast

from pydantic import BaseModel, Field, create_model

from readmit.cases.services import payload_model
from readmit.cases.workflow import WORKFLOWS
from readmit.core.payloads import ActionPayload
from readmit.core.strict import declare_text_pattern
from readmit.exchange.schemas import TransitionCommon


def known_actions() -> frozenset[str]:
    """Every action of every workflow table."""
    return frozenset(a for w in WORKFLOWS.values() for a in w.actions)


def action_payloads(action: str) -> dict[type[ActionPayload], tuple[str, ...]]:
    """The payload models ``action`` takes, each with the case kinds that take it."""
    found: dict[type[ActionPayload], tuple[str, ...]] = {}
    for kind, workflow in WORKFLOWS.items():
        if action in workflow.actions:
            model = payload_model(kind, action)
            found[model] = (*found.get(model, ()), kind)
    return found


def needs_reason(action: str) -> bool:
    return any(w.get(action).needs_reason for w in WORKFLOWS.values() if action in w.actions)


def member_name(action: str) -> str:
    return "Transition" + "".join(part.title() for part in action.split("_"))


def action_example(action: str) -> dict[str, Any]:
    """A body for ``action`` that validates against its member: the first payload model's
    example, and a reason where some kind of case needs one."""
    model = next(iter(action_payloads(action)))
    return {
        "action": action,
        **({"reason": "Stated in the note of 1 December."} if needs_reason(action) else {}),
        "payload": dict(model.example),
    }


def transition_member(action: str) -> type[BaseModel]:
    payloads = action_payloads(action)
    models = list(payloads)
    payload_type: Any = models[0] if len(models) == 1 else reduce(or_, models)
    described = "; ".join(
        f"{' and '.join(kinds)} cases: {model.__name__}" for model, kinds in payloads.items()
    )
    optional = all(not any(f.is_required() for f in m.model_fields.values()) for m in models)
    example = action_example(action)

    def schema_extra(schema: dict[str, Any]) -> None:
        declare_text_pattern(schema)
        schema["examples"] = [example]

    description = f"What '{action}' takes ({described})."
    payload_field: Any = (
        Field(default_factory=dict, description=description)
        if optional
        else Field(description=description)
    )
    member: type[BaseModel] = create_model(
        member_name(action),
        __base__=TransitionCommon,
        __doc__=f"The action '{action}'.",
        action=(cast(Any, Literal)[action], Field(description="The action's name.")),
        payload=(payload_type, payload_field),
    )
    member.model_config["json_schema_extra"] = schema_extra
    member.model_rebuild(force=True)
    return member


def transition_union() -> Any:
    """``TransitionRecommend | TransitionSelect | ...`` discriminated by ``action``."""
    members = tuple(transition_member(a) for a in sorted(known_actions()))
    return Annotated[cast(Any, Union)[members], Field(discriminator="action")]
