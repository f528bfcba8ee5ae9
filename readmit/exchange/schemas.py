"""What the exchange API reads and writes. Field names here are the contract (DESIGN §7).

Builders turn models into these schemas explicitly, so the contract never follows a model
field rename by accident. They read only what the routers prefetched.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    ConfigDict,
    GetJsonSchemaHandler,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from readmit.accounts.models import User
from readmit.agreements.models import Agreement, AgreementKind
from readmit.agreements.selectors import quota_status
from readmit.cases.evidence import EvidenceKind
from readmit.cases.models import Case, Person
from readmit.cases.reasons import REASON_CODES
from readmit.cases.selectors import case_allowed_actions
from readmit.core import clock
from readmit.core.strict import (
    TEXT_MESSAGE,
    bad_text,
    date_problem,
    declare_text_pattern,
)

AgreementKindName = Literal["relocation", "readmission", "reception"]
# Ids in paths are read as text so that a malformed one answers 404 like an unknown one
# (the gates parse it), while the document still tells clients they are UUIDs.
UuidStr = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]


# Strict input ------------------------------------------------------------------------------


class StrictIn(Schema):
    """Base of every input body: unknown members refused (a typo never passes silently), text
    without control characters (NUL included) anywhere, also inside free-form objects, and
    dates from 1900 to ten years ahead (``readmit.core.strict``). The OpenAPI document
    declares both (``additionalProperties: false``, the text rule as a pattern)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=declare_text_pattern)

    @field_validator("*", mode="after")
    @classmethod
    def _strict_input(cls, value: Any, info: ValidationInfo) -> Any:
        for path in bad_text(value):
            where = ".".join(str(p) for p in path)
            raise PydanticCustomError(
                "control_character",
                "{where}" + TEXT_MESSAGE,
                {"where": f"at {where}: " if where else ""},
            )
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dt.date):
                problem = date_problem(item, clock.today())
                if problem:
                    raise PydanticCustomError("date_out_of_range", problem)
        return value


# Errors ------------------------------------------------------------------------------------


class FieldError(Schema):
    loc: list[str | int] = Field(
        description='Where the bad value is, e.g. ["body", "payload", "action"].'
    )
    msg: str


class Problem(Schema):
    """RFC 9457 problem document, served as ``application/problem+json``."""

    type: str = Field(description="Stable URI per rule, e.g. urn:readmit:problem:quota-exceeded.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    rule: str | None = Field(default=None, description="What refused a transition (409 only).")
    errors: list[FieldError] | None = Field(default=None, description="Each bad field (422 only).")
    request_id: str | None = Field(
        default=None, description="The request's id, as in the X-Request-ID response header."
    )


# Agreements --------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    slug: str


class PartyOut(Schema):
    organisation: OrganisationOut
    country: str = Field(description="ISO 3166-1 alpha-2 code, or a user-assigned one (XK).")
    side: Literal["sending", "receiving"]


class QuotaOut(Schema):
    limit: int
    used: int
    remaining: int
    period_start: dt.date | None = Field(description="Null outside the agreement's life.")
    period_end: dt.date | None


class CapacityOut(Schema):
    max_present: int | None
    max_per_year: int | None


class SiteOut(Schema):
    id: uuid.UUID
    name: str
    country: str
    location: str
    capacity: int


class AgreementOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    kind: AgreementKindName
    status: str = Field(
        description="approached, negotiating, signed, in_force, suspended or ended."
    )
    parties: list[PartyOut]
    in_force_from: dt.date | None
    ends_on: dt.date | None
    quota: QuotaOut | None = Field(description="Null when the agreement has no quota.")
    capacity: CapacityOut | None = Field(description="Null when the agreement sets none.")
    sites: list[SiteOut]


def agreement_out(agreement: Agreement) -> AgreementOut:
    terms = agreement.parsed_terms
    quota = quota_status(agreement)
    return AgreementOut(
        id=agreement.id,
        reference=agreement.reference,
        title=agreement.title,
        kind=agreement.kind,  # type: ignore[arg-type]
        status=agreement.status,
        parties=[
            PartyOut(
                organisation=OrganisationOut(
                    id=p.organisation.id, name=p.organisation.name, slug=p.organisation.slug
                ),
                country=p.organisation.country_id,
                side=p.side,  # type: ignore[arg-type]  # one of the PartySide values
            )
            for p in agreement.parties.all()
        ],
        in_force_from=agreement.in_force_from,
        ends_on=agreement.ends_on,
        quota=None
        if quota is None
        else QuotaOut(
            limit=quota.limit,
            used=quota.used,
            remaining=quota.remaining,
            period_start=quota.period.start if quota.period else None,
            period_end=quota.period.end if quota.period else None,
        ),
        capacity=None
        if terms.capacity is None
        else CapacityOut(
            max_present=terms.capacity.max_present, max_per_year=terms.capacity.max_per_year
        ),
        sites=[
            SiteOut(
                id=s.id, name=s.name, country=s.country_id, location=s.location, capacity=s.capacity
            )
            for s in agreement.sites.all()
        ],
    )


# Cases -------------------------------------------------------------------------------------


class PersonOut(Schema):
    given_names: str = Field(description="As written, in any script; never translated.")
    family_name: str
    given_names_latin: str
    family_name_latin: str
    birth_date: str | None = Field(
        description='Partial dates: "1990", "1990-04" or "1990-04-12"; null when unknown.'
    )
    sex: Literal["F", "M", "X", "U"]
    nationalities: list[str] = Field(description="Country codes.")


class DeadlineOut(Schema):
    kind: str
    label: str
    due_on: dt.date
    met_at: dt.datetime | None
    status: Literal["open", "met", "late", "lapsed"] = Field(
        description="late: met after the due date (never shown as met); lapsed: ran out with "
        "no reply and silence took effect (deemed acceptance)."
    )
    late: bool = Field(description="True when met after the due date, or lapsed unmet.")


class EvidenceItemOut(Schema):
    kind: str
    evidence_class: Literal["proof", "prima_facie", "none"] = Field(
        description="The class the agreement's annexes give this kind."
    )
    reference: str = Field(description='Empty when the agreement does not share "documents".')
    false_document: bool = Field(description="A false document counts for nothing.")
    added_at: dt.datetime


class EvidenceOut(Schema):
    effect: str = Field(
        description="nationality_established, presumed, verification, interview_due or "
        "insufficient (see docs/readmission.md)."
    )
    explanation: str = Field(description="The weighing in one sentence.")
    items: list[EvidenceItemOut]


class CaseOut(Schema):
    id: uuid.UUID
    reference: str
    external_id: str
    agreement: uuid.UUID
    kind: AgreementKindName
    state: str
    legal_hold: bool
    person: PersonOut
    deadlines: list[DeadlineOut]
    allowed_actions: list[str] = Field(description="The actions the caller may take now.")
    procedure: Literal["normal", "accelerated"] | None = Field(
        default=None, description="Readmission only: the application's procedure."
    )
    evidence: EvidenceOut | None = Field(
        default=None, description="Readmission only: the evidence of nationality, weighed."
    )
    variant: Literal["readmission", "transit", "take_back"] | None = Field(
        default=None,
        description="Readmission only: a readmission, a transit or a take-back (erroneous "
        "readmission); docs/readmission.md.",
    )
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )


def _birth_date(person: Person) -> str | None:
    return None if person.birth_year is None else person.birth_date_display


def _evidence_out(user: User, case: Case) -> EvidenceOut | None:
    weighed = case.data.get("evidence")
    if case.kind != AgreementKind.READMISSION or not weighed:
        return None
    from readmit.cases.intake import evidence_rules
    from readmit.cases.selectors import case_sharing

    documents = case_sharing(user, case).shows("documents")
    rules = evidence_rules(case.agreement.parsed_terms)
    return EvidenceOut(
        effect=weighed["effect"],
        explanation=weighed["explanation" if documents else "explanation_shared"],
        items=[
            EvidenceItemOut(
                kind=item.kind,
                evidence_class=rules.class_of(EvidenceKind(item.kind)).value,
                reference=item.reference if documents else "",
                false_document=item.false_document,
                added_at=item.added_at,
            )
            for item in case.evidence_items.all()
        ],
    )


def case_out(user: User, case: Case) -> CaseOut:
    person = case.person
    return CaseOut(
        id=case.id,
        reference=case.reference,
        external_id=case.external_id,
        agreement=case.agreement_id,
        kind=case.kind,  # type: ignore[arg-type]
        state=case.state,
        legal_hold=case.legal_hold,
        person=PersonOut(
            given_names=person.given_names,
            family_name=person.family_name,
            given_names_latin=person.given_names_latin,
            family_name_latin=person.family_name_latin,
            birth_date=_birth_date(person),
            sex=person.sex,  # type: ignore[arg-type]
            nationalities=sorted(c.code for c in person.nationalities.all()),
        ),
        deadlines=[
            DeadlineOut(
                kind=d.kind,
                label=d.label,
                due_on=d.due_on,
                met_at=d.met_at,
                status=d.status,  # type: ignore[arg-type]
                late=d.status in ("late", "lapsed"),
            )
            for d in case.deadlines.all()
            if d.cancelled_at is None
        ],
        allowed_actions=case_allowed_actions(user, case),
        procedure=case.data.get("procedure") if case.kind == AgreementKind.READMISSION else None,
        evidence=_evidence_out(user, case),
        variant=case.data.get("variant", "readmission")
        if case.kind == AgreementKind.READMISSION
        else None,
        version=case.version,
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


class TransitionCommon(StrictIn):
    """What every workflow action takes besides its name and payload."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        default="",
        max_length=2000,
        description="Required by some actions (decline, withdraw, holds). Read by the "
        "other party: do not quote what the agreement does not share.",
    )
    reason_code: str = Field(
        default="",
        max_length=40,
        description="Optional standard code of the reason: "
        + "; ".join(f"{a}: {', '.join(codes)}" for a, codes in REASON_CODES.items())
        + ". Another value answers 422 naming `reason_code`.",
    )
    internal_note: str = Field(
        default="",
        max_length=2000,
        description="Optional; read only by your own organisation (case history, audit "
        "log), never by the other party nor returned by this API.",
    )


class TransitionIn(TransitionCommon):
    """One workflow action; unknown members are refused so typos cannot pass silently.

    Read as ``{action, reason, payload}``; the payload is validated by the case service
    against the model the action's hooks declared. The OpenAPI document publishes the body
    as a union discriminated by ``action``, one member per action with its typed payload
    and an example (``readmit.exchange.actions``)."""

    action: str = Field(min_length=1, description="A stable action name, e.g. recommend.")
    payload: dict[str, Any] = Field(default_factory=dict, description="Action-specific details.")

    @field_validator("action", mode="after")
    @classmethod
    def _known_action(cls, value: str) -> str:
        from readmit.exchange.actions import known_actions

        if value not in known_actions():
            raise PydanticCustomError(
                "unknown_action",
                "is not an action of any workflow; known actions: {known}",
                {"known": ", ".join(sorted(known_actions()))},
            )
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        from readmit.exchange.actions import transition_union

        return handler(TypeAdapter(transition_union()).core_schema)
