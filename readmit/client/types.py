"""The exchange API's schemas as TypedDicts, generated from /api/v1/openapi.json.

Do not edit: ``python -m readmit.client.generate > readmit/client/types.py``.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "AcceptIn",
    "AgreementOut",
    "AmendmentIn",
    "ApplicationIn",
    "ApplicationOut",
    "AssessmentIn",
    "AssessmentOut",
    "AssignmentIn",
    "AssignmentOut",
    "AssignmentsOut",
    "AttachmentOut",
    "CapacityOut",
    "CaseOut",
    "CasePage",
    "CivilStatus",
    "ConsularPersonIn",
    "ConsularRequestIn",
    "ConsularRequestOut",
    "ConsularRequestPage",
    "ConsularTransitionIn",
    "ContactIn",
    "ContactOut",
    "CostTotalOut",
    "CriteriaOut",
    "DeadlineDetailOut",
    "DeadlineOut",
    "DeliveryOut",
    "DocumentIn",
    "DocumentOut",
    "DuplicateCandidateOut",
    "DuplicateDecisionIn",
    "DuplicateDecisionOut",
    "DuplicateOut",
    "EntryOut",
    "EvaluationOut",
    "EvidenceClass",
    "EvidenceIn",
    "EvidenceItemOut",
    "EvidenceKind",
    "EvidenceOut",
    "FieldError",
    "HitOut",
    "HoldKind",
    "ImportErrorOut",
    "ImportListRef",
    "ImportOut",
    "IssueTravelDocumentIn",
    "LetterIn",
    "LiftLegalHoldIn",
    "ListCaseOut",
    "ListIn",
    "ListOut",
    "MatchOut",
    "NoPayload",
    "NoticeIn",
    "NoticeOut",
    "OrganisationOut",
    "OtherName",
    "OtherNameIn",
    "OtherNameOut",
    "Parent",
    "PartyOut",
    "PersonDetailOut",
    "PersonDocumentIn",
    "PersonIn",
    "PersonOut",
    "PersonPatchIn",
    "PhotoIn",
    "PhotoOut",
    "PlaceLegalHoldIn",
    "PositionIn",
    "PositionOut",
    "Problem",
    "Procedure",
    "ProposalOut",
    "QuotaOut",
    "ReadmissionTransferPlanIn",
    "ReasonIn",
    "RecommendIn",
    "ReconsiderIn",
    "RecordArrivalIn",
    "RecordDepartureIn",
    "RecordTransferIn",
    "RejectIn",
    "RequiredReasonIn",
    "ReturnPlanIn",
    "ReviewIn",
    "RuleResultOut",
    "RunIn",
    "RunOut",
    "SearchOut",
    "SiteOut",
    "StatusChangeIn",
    "StatusChangeOut",
    "StatusOut",
    "StayDetailOut",
    "StayOut",
    "StayOutcome",
    "SubscriptionCreatedOut",
    "SubscriptionIn",
    "SubscriptionOut",
    "SubscriptionPatch",
    "TransferCostIn",
    "TransferCostOut",
    "TransferPlanIn",
    "TransferPlanOut",
    "TransitIn",
    "TransitionAccept",
    "TransitionAcknowledge",
    "TransitionClose",
    "TransitionDecline",
    "TransitionDeemAccepted",
    "TransitionExtend",
    "TransitionIn",
    "TransitionIssueTravelDocument",
    "TransitionLiftLegalHold",
    "TransitionPlaceLegalHold",
    "TransitionRecommend",
    "TransitionReconsider",
    "TransitionRecordArrival",
    "TransitionRecordDeparture",
    "TransitionRecordTakeBack",
    "TransitionRecordTransfer",
    "TransitionRecordTransitFailed",
    "TransitionReject",
    "TransitionRequestInterview",
    "TransitionRevokeTransit",
    "TransitionRevokeTravelDocument",
    "TransitionScheduleTransfer",
    "TransitionSelect",
    "TransitionWithdraw",
    "TravelDocumentOut",
    "TravelDocumentType",
    "TravelPersonOut",
    "Variant",
    "VersionOut",
    "WatchlistRef",
    "WhyOut",
]


class CapacityOut(TypedDict):
    """CapacityOut"""

    max_present: int | None
    max_per_year: int | None


class OrganisationOut(TypedDict):
    """OrganisationOut"""

    id: str
    name: str
    slug: str


class PartyOut(TypedDict):
    """PartyOut"""

    organisation: OrganisationOut
    country: str
    side: Literal["sending", "receiving"]


class QuotaOut(TypedDict):
    """QuotaOut"""

    limit: int
    used: int
    remaining: int
    period_start: str | None
    period_end: str | None


class SiteOut(TypedDict):
    """SiteOut"""

    id: str
    name: str
    country: str
    location: str
    capacity: int


class AgreementOut(TypedDict):
    """AgreementOut"""

    id: str
    reference: str
    title: str
    kind: Literal["relocation", "readmission", "reception"]
    status: str
    parties: list[PartyOut]
    in_force_from: str | None
    ends_on: str | None
    quota: QuotaOut | None
    capacity: CapacityOut | None
    sites: list[SiteOut]


class FieldError(TypedDict):
    """FieldError"""

    loc: list[str | int]
    msg: str


class Problem(TypedDict):
    """RFC 9457 problem document, served as ``application/problem+json``."""

    type: str
    title: str
    status: int
    detail: str
    instance: NotRequired[str | None]
    rule: NotRequired[str | None]
    errors: NotRequired[list[FieldError] | None]
    request_id: NotRequired[str | None]


class NoticeOut(TypedDict):
    """NoticeOut"""

    id: str
    state: str
    given_on: str
    takes_effect_on: str
    given_by_organisation: str
    given_by_side: str
    given_by: str
    reason: str
    source: str
    withdrawn_by: str | None
    withdraw_reason: str


class StatusChangeOut(TypedDict):
    """StatusChangeOut"""

    on: str
    from_status: str
    to_status: str
    source: str
    reason: str
    ground: str
    ground_reference: str
    changed_by: str | None
    recorded_at: str


class StatusOut(TypedDict):
    """StatusOut"""

    status: str
    signed_on: str | None
    in_force_from: str | None
    ends_on: str | None
    history: list[StatusChangeOut]
    termination_notices: list[NoticeOut]


class StatusChangeIn(TypedDict):
    """StatusChangeIn"""

    status: Literal["approached", "negotiating", "signed", "in_force", "suspended", "ended"]
    on: str
    source: str
    reason: NotRequired[str]
    ground: NotRequired[str]
    ground_reference: NotRequired[str]


class NoticeIn(TypedDict):
    """NoticeIn"""

    reason: str
    source: str


class RequiredReasonIn(TypedDict):
    """RequiredReasonIn"""

    reason: str


class VersionOut(TypedDict):
    """VersionOut"""

    number: int
    valid_from: str
    reason: str
    source: str
    recorded_by: str | None
    recorded_at: str
    terms: dict[str, Any]
    changes: dict[str, dict[str, Any]]


class ProposalOut(TypedDict):
    """ProposalOut"""

    id: str
    state: str
    changes: dict[str, Any]
    effect: dict[str, dict[str, Any]]
    valid_from: str
    reason: str
    source: str
    proposed_by_organisation: str
    proposed_by_side: str
    proposed_by: str
    proposed_at: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str
    version: int | None


class AmendmentIn(TypedDict):
    """AmendmentIn"""

    changes: dict[str, Any]
    valid_from: str
    reason: str
    source: NotRequired[str]


class ReasonIn(TypedDict):
    """ReasonIn"""

    reason: NotRequired[str]


class ContactOut(TypedDict):
    """ContactOut"""

    id: str
    occurred_on: str
    from_country: str
    to_country: str
    channel: str
    summary: str
    source: str


class ContactIn(TypedDict):
    """ContactIn"""

    occurred_on: str
    from_country: str
    to_country: str
    channel: Literal["note", "meeting", "embassy", "public", "media", "other"]
    summary: str
    source: str


class PositionOut(TypedDict):
    """PositionOut"""

    id: str
    country: str
    stated_on: str
    stance: str
    statement: str
    source: str


class PositionIn(TypedDict):
    """PositionIn"""

    country: str
    stated_on: str
    stance: Literal[
        "ready", "open", "no_communication", "own_nationals_only", "refuses", "no_comment"
    ]
    statement: str
    source: str


class AssignmentOut(TypedDict):
    """AssignmentOut"""

    case: str | None
    list: str | None
    owner: str | None
    team: str | None
    assigned_at: str


class AssignmentsOut(TypedDict):
    """AssignmentsOut"""

    assignments: list[AssignmentOut]


class AssignmentIn(TypedDict):
    """AssignmentIn"""

    cases: NotRequired[list[str]]
    lists: NotRequired[list[str]]
    owner: NotRequired[str | None]
    team: NotRequired[str | None]


class DeadlineOut(TypedDict):
    """DeadlineOut"""

    kind: str
    label: str
    due_on: str
    met_at: str | None
    status: Literal["open", "met", "late", "lapsed"]
    late: bool


class EvidenceItemOut(TypedDict):
    """EvidenceItemOut"""

    kind: str
    evidence_class: Literal["proof", "prima_facie", "none"]
    reference: str
    false_document: bool
    added_at: str


class EvidenceOut(TypedDict):
    """EvidenceOut"""

    effect: str
    explanation: str
    items: list[EvidenceItemOut]


class PersonOut(TypedDict):
    """PersonOut"""

    given_names: str
    family_name: str
    given_names_latin: str
    family_name_latin: str
    birth_date: str | None
    sex: Literal["F", "M", "X", "U"]
    nationalities: list[str]


class CaseOut(TypedDict):
    """CaseOut"""

    id: str
    reference: str
    external_id: str
    agreement: str
    kind: Literal["relocation", "readmission", "reception"]
    state: str
    legal_hold: bool
    person: PersonOut
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]
    procedure: NotRequired[Literal["normal", "accelerated"] | None]
    evidence: NotRequired[EvidenceOut | None]
    variant: NotRequired[Literal["readmission", "transit", "take_back"] | None]
    version: int
    created_at: str
    updated_at: str


class CasePage(TypedDict):
    """CasePage"""

    items: list[CaseOut]
    next_cursor: str | None


class AcceptIn(TypedDict):
    """AcceptIn"""

    verification: NotRequired[str]


HoldKind = Literal[
    "court_challenge",
    "interim_measure",
    "fear_claim",
    "detention_not_validated",
    "appeal",
    "medical",
    "other",
]


TravelDocumentType = Literal["emergency_travel_document", "eu_travel_document"]


class IssueTravelDocumentIn(TypedDict):
    """IssueTravelDocumentIn"""

    type: TravelDocumentType
    number: str
    issuing_mission: NotRequired[str | None]
    valid_from: NotRequired[str | None]
    valid_until: str
    single_journey: NotRequired[bool]
    prior_consent_reference: NotRequired[str]
    prior_consent_given_on: NotRequired[str | None]


class LiftLegalHoldIn(TypedDict):
    """LiftLegalHoldIn"""

    hold: NotRequired[str | None]
    court_reference: NotRequired[str]


class NoPayload(TypedDict):
    """The action takes no payload: an empty object (or none)."""


class PlaceLegalHoldIn(TypedDict):
    """PlaceLegalHoldIn"""

    kind: HoldKind
    authority: str
    reference: str
    decided_on: str


class ReadmissionTransferPlanIn(TypedDict):
    """Readmission's plan names a border crossing point or a flight (the route may then be"""

    planned_for: str
    route: NotRequired[str]
    escort: NotRequired[str]
    notice_language: str
    notice_given_at: NotRequired[str | None]
    urgent: NotRequired[bool]
    crossing_point: NotRequired[str]
    flight: NotRequired[str]
    medical_needs: str


class RecommendIn(TypedDict):
    """RecommendIn"""

    recommendation: NotRequired[Literal["select", "decline"] | None]


class ReconsiderIn(TypedDict):
    """Why a decline is taken back (the reason says what happened)."""

    ground: Literal["declined_in_error", "new_facts"]


class RecordArrivalIn(TypedDict):
    """RecordArrivalIn"""

    site: str
    arrived_at: NotRequired[str | None]
    return_plan: NotRequired[str]


StayOutcome = Literal[
    "returned_to_origin",
    "departed_voluntarily",
    "protection_granted",
    "transferred_back",
    "released",
    "absconded",
]


class RecordDepartureIn(TypedDict):
    """RecordDepartureIn"""

    outcome: StayOutcome
    court_ordered: NotRequired[bool]


class RecordTransferIn(TypedDict):
    """RecordTransferIn"""

    received_by: str
    place: str
    handed_over_at: NotRequired[str | None]
    handed_over_by: NotRequired[str]


class RejectIn(TypedDict):
    """RejectIn"""

    rebuttal: NotRequired[str]


class TransferPlanIn(TypedDict):
    """The transfer plan (relocation and reception; readmission adds to it)."""

    planned_for: str
    route: NotRequired[str]
    escort: NotRequired[str]
    notice_language: str
    notice_given_at: NotRequired[str | None]
    urgent: NotRequired[bool]
    crossing_point: NotRequired[str]
    flight: NotRequired[str]
    medical_needs: NotRequired[str]


class TransitionAccept(TypedDict):
    """The action 'accept'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["accept"]
    payload: NotRequired[AcceptIn]


class TransitionAcknowledge(TypedDict):
    """The action 'acknowledge'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["acknowledge"]
    payload: NotRequired[NoPayload]


class TransitionClose(TypedDict):
    """The action 'close'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["close"]
    payload: NotRequired[NoPayload]


class TransitionDecline(TypedDict):
    """The action 'decline'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["decline"]
    payload: NotRequired[NoPayload]


class TransitionDeemAccepted(TypedDict):
    """The action 'deem_accepted'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["deem_accepted"]
    payload: NotRequired[NoPayload]


class TransitionExtend(TypedDict):
    """The action 'extend'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["extend"]
    payload: NotRequired[NoPayload]


class TransitionIssueTravelDocument(TypedDict):
    """The action 'issue_travel_document'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["issue_travel_document"]
    payload: IssueTravelDocumentIn


class TransitionLiftLegalHold(TypedDict):
    """The action 'lift_legal_hold'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["lift_legal_hold"]
    payload: NotRequired[LiftLegalHoldIn]


class TransitionPlaceLegalHold(TypedDict):
    """The action 'place_legal_hold'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["place_legal_hold"]
    payload: PlaceLegalHoldIn


class TransitionRecommend(TypedDict):
    """The action 'recommend'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["recommend"]
    payload: NotRequired[RecommendIn]


class TransitionReconsider(TypedDict):
    """The action 'reconsider'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["reconsider"]
    payload: ReconsiderIn


class TransitionRecordArrival(TypedDict):
    """The action 'record_arrival'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["record_arrival"]
    payload: RecordArrivalIn


class TransitionRecordDeparture(TypedDict):
    """The action 'record_departure'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["record_departure"]
    payload: RecordDepartureIn


class TransitionRecordTakeBack(TypedDict):
    """The action 'record_take_back'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["record_take_back"]
    payload: NotRequired[NoPayload]


class TransitionRecordTransfer(TypedDict):
    """The action 'record_transfer'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["record_transfer"]
    payload: RecordTransferIn


class TransitionRecordTransitFailed(TypedDict):
    """The action 'record_transit_failed'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["record_transit_failed"]
    payload: NotRequired[NoPayload]


class TransitionReject(TypedDict):
    """The action 'reject'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["reject"]
    payload: NotRequired[RejectIn]


class TransitionRequestInterview(TypedDict):
    """The action 'request_interview'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["request_interview"]
    payload: NotRequired[NoPayload]


class TransitionRevokeTransit(TypedDict):
    """The action 'revoke_transit'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["revoke_transit"]
    payload: NotRequired[NoPayload]


class TransitionRevokeTravelDocument(TypedDict):
    """The action 'revoke_travel_document'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["revoke_travel_document"]
    payload: NotRequired[NoPayload]


class TransitionScheduleTransfer(TypedDict):
    """The action 'schedule_transfer'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["schedule_transfer"]
    payload: TransferPlanIn | ReadmissionTransferPlanIn


class TransitionSelect(TypedDict):
    """The action 'select'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["select"]
    payload: NotRequired[NoPayload]


class TransitionWithdraw(TypedDict):
    """The action 'withdraw'."""

    reason: NotRequired[str]
    reason_code: NotRequired[str]
    internal_note: NotRequired[str]
    action: Literal["withdraw"]
    payload: NotRequired[NoPayload]


TransitionIn = (
    TransitionAccept
    | TransitionAcknowledge
    | TransitionClose
    | TransitionDecline
    | TransitionDeemAccepted
    | TransitionExtend
    | TransitionIssueTravelDocument
    | TransitionLiftLegalHold
    | TransitionPlaceLegalHold
    | TransitionRecommend
    | TransitionReconsider
    | TransitionRecordArrival
    | TransitionRecordDeparture
    | TransitionRecordTakeBack
    | TransitionRecordTransfer
    | TransitionRecordTransitFailed
    | TransitionReject
    | TransitionRequestInterview
    | TransitionRevokeTransit
    | TransitionRevokeTravelDocument
    | TransitionScheduleTransfer
    | TransitionSelect
    | TransitionWithdraw
)


class ListCaseOut(TypedDict):
    """ListCaseOut"""

    id: str
    external_id: str
    state: str


class ListOut(TypedDict):
    """ListOut"""

    id: str
    reference: str
    row_count: int
    imported_count: int
    cases: list[ListCaseOut]


class ImportErrorOut(TypedDict):
    """ImportErrorOut"""

    loc: list[str | int]
    msg: str


class ImportListRef(TypedDict):
    """ImportListRef"""

    id: str
    reference: str


class ImportOut(TypedDict):
    """ImportOut"""

    id: str
    agreement: str
    reference: str
    state: str
    row_count: int
    rows_done: int
    rows_failed: int
    errors: list[ImportErrorOut]
    proposal_list: ImportListRef | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class ListIn(TypedDict):
    """ListIn"""

    reference: str
    people: list[Any]
    only_valid_rows: NotRequired[bool]


class DuplicateOut(TypedDict):
    """DuplicateOut"""

    id: str
    kind: str
    score: float
    evidence: str


class ApplicationOut(TypedDict):
    """ApplicationOut"""

    id: str
    reference: str
    external_id: str
    agreement: str
    kind: Literal["relocation", "readmission", "reception"]
    state: str
    legal_hold: bool
    person: PersonOut
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]
    procedure: NotRequired[Literal["normal", "accelerated"] | None]
    evidence: NotRequired[EvidenceOut | None]
    variant: NotRequired[Literal["readmission", "transit", "take_back"] | None]
    version: int
    created_at: str
    updated_at: str
    duplicates: list[DuplicateOut]
    outstanding: list[str]


class DocumentIn(TypedDict):
    """DocumentIn"""

    type: str
    number: str
    issuing_country: str
    expires_on: NotRequired[str | None]


EvidenceClass = Literal["proof", "prima_facie", "none"]


EvidenceKind = Literal[
    "valid_passport",
    "identity_card",
    "expired_passport",
    "citizenship_certificate",
    "military_id",
    "seamans_book",
    "birth_certificate",
    "driving_licence",
    "photocopy",
    "biometrics",
    "witness_statement",
    "own_statement",
    "language",
    "other_document",
]


EvidenceIn = TypedDict(
    "EvidenceIn",
    {
        "kind": EvidenceKind,
        "class": NotRequired[EvidenceClass | None],
        "reference": NotRequired[str],
        "document": NotRequired[DocumentIn | None],
        "mrz": NotRequired[str],
        "false_document": NotRequired[bool],
    },
)


CivilStatus = Literal["single", "married", "partnership", "divorced", "widowed", "unknown"]


class OtherName(TypedDict):
    """OtherName"""

    kind: Literal["alias", "former", "birth"]
    given_names: NotRequired[str]
    family_name: str


class Parent(TypedDict):
    """Parent"""

    relation: Literal["father", "mother", "parent"]
    given_names: NotRequired[str]
    family_name: NotRequired[str]


class PersonIn(TypedDict):
    """The person as the requesting state recorded them; names as written, any script."""

    given_names: str
    family_name: str
    given_names_latin: NotRequired[str]
    family_name_latin: NotRequired[str]
    other_names: NotRequired[list[OtherName]]
    birth_date: str
    place_of_birth: str
    sex: Literal["F", "M", "X", "U"]
    nationalities: list[str]
    parents: NotRequired[list[Parent]]
    civil_status: CivilStatus
    languages: list[str]


Procedure = Literal["normal", "accelerated"]


class TransitIn(TypedDict):
    """What a transit application adds: where the person goes and who escorts them."""

    destination_state: str
    escort: str


Variant = Literal["readmission", "transit", "take_back"]


class ApplicationIn(TypedDict):
    """A readmission application (DESIGN §2): every part is required unless marked optional."""

    external_id: str
    variant: NotRequired[Variant]
    transit: NotRequired[TransitIn | None]
    take_back_of: NotRequired[str | None]
    procedure: Procedure
    apprehended_on: NotRequired[str | None]
    person: PersonIn
    last_address: str
    medical_needs: str
    escort_needs: str
    evidence: list[EvidenceIn]
    photo: NotRequired[str]


class PhotoOut(TypedDict):
    """PhotoOut"""

    case: str
    content_type: str
    size: int
    sha256: str
    outstanding: list[str]


class PhotoIn(TypedDict):
    """PhotoIn"""

    photo: str


class StayOut(TypedDict):
    """StayOut"""

    id: str
    case: str
    site: str
    arrived_at: str
    max_end: str | None
    return_plan: str
    return_plan_recorded_at: str | None
    etag: str


class ReturnPlanIn(TypedDict):
    """ReturnPlanIn"""

    plan: str


class RuleResultOut(TypedDict):
    """RuleResultOut"""

    rule: str
    label: str
    outcome: Literal["pass", "fail", "unknown"]
    explanation: str


class EvaluationOut(TypedDict):
    """EvaluationOut"""

    id: str
    outcome: Literal["pass", "fail", "unknown"]
    evaluated_at: str
    trigger: Literal["list", "recheck", "decision", "screening"]
    terms_version: int | None
    results: list[RuleResultOut]


class CriteriaOut(TypedDict):
    """CriteriaOut"""

    case: str
    latest: EvaluationOut | None


class AssessmentOut(TypedDict):
    """AssessmentOut"""

    id: str
    case: str
    vulnerabilities: list[str]
    assessed_at: str
    assessed_by: str


class AssessmentIn(TypedDict):
    """AssessmentIn"""

    vulnerabilities: list[
        Literal[
            "minor",
            "unaccompanied_minor",
            "disability",
            "elderly",
            "pregnant",
            "single_parent",
            "trafficking_victim",
            "medical",
            "mental_health",
            "torture_survivor",
        ]
    ]
    note: NotRequired[str]


class ConsularRequestOut(TypedDict):
    """ConsularRequestOut"""

    id: str
    reference: str
    kind: str
    requester: str
    state: str
    person: str
    case: str | None
    residence_region: str
    routed_to: str
    routed_to_id: str
    routing_reason: str
    requested_by: str
    owner: str | None
    due_on: str
    due_explanation: str
    details: str
    outcome: str
    reason: str
    version: int
    allowed_actions: list[str]


class ConsularRequestPage(TypedDict):
    """ConsularRequestPage"""

    items: list[ConsularRequestOut]
    next_cursor: str | None


class ConsularPersonIn(TypedDict):
    """ConsularPersonIn"""

    family_name: str
    given_names: NotRequired[str]
    family_name_latin: NotRequired[str]
    given_names_latin: NotRequired[str]
    birth_date: NotRequired[str | None]


class ConsularRequestIn(TypedDict):
    """ConsularRequestIn"""

    kind: Literal[
        "travel_document",
        "identity_verification",
        "interview",
        "return_assistance",
        "legal_information",
    ]
    requester: Literal["citizen", "sending_state"]
    residence_region: str
    case: NotRequired[str | None]
    person: NotRequired[ConsularPersonIn | None]
    details: NotRequired[str]


class ConsularTransitionIn(TypedDict):
    """ConsularTransitionIn"""

    action: Literal["take", "complete", "decline"]
    outcome: NotRequired[str]
    reason: NotRequired[str]


class TravelPersonOut(TypedDict):
    """TravelPersonOut"""

    name: str
    name_latin: str
    birth_date: str
    place_of_birth: str
    sex: str
    nationality: str


class TravelDocumentOut(TypedDict):
    """TravelDocumentOut"""

    id: str
    case: str
    type: Literal["emergency_travel_document", "eu_travel_document"]
    number: str
    issuing_mission: str
    issuing_mission_name: str
    valid_from: str
    valid_until: str
    single_journey: bool
    prior_consent_reference: str
    prior_consent_given_on: str | None
    issued_at: str
    revoked_at: str | None
    revocation_reason: str
    person: TravelPersonOut


class TransferCostOut(TypedDict):
    """TransferCostOut"""

    id: str
    case: str
    leg: str
    amount: str
    currency: str
    payer: Literal["sending", "requested"]
    recorded_at: str


class TransferCostIn(TypedDict):
    """TransferCostIn"""

    leg: Literal["transport_to_border", "onward"]
    amount: float | str
    currency: str


class CostTotalOut(TypedDict):
    """CostTotalOut"""

    payer: Literal["sending", "requested"]
    leg: str
    currency: str
    amount: str
    count: int


class SubscriptionOut(TypedDict):
    """SubscriptionOut"""

    id: str
    organisation_id: str
    url: str
    event_types: list[str]
    description: str
    active: bool
    created_at: str


class SubscriptionCreatedOut(TypedDict):
    """SubscriptionCreatedOut"""

    id: str
    organisation_id: str
    url: str
    event_types: list[str]
    description: str
    active: bool
    created_at: str
    secret: str


class SubscriptionIn(TypedDict):
    """SubscriptionIn"""

    url: str
    event_types: list[
        Literal[
            "case.created",
            "case.transitioned",
            "case.hold_placed",
            "case.hold_lifted",
            "list.received",
            "screening.finished",
            "amendment.proposed",
            "amendment.confirmed",
            "amendment.rejected",
            "amendment.withdrawn",
            "agreement.status_changed",
        ]
    ]
    description: NotRequired[str]
    active: NotRequired[bool]


class SubscriptionPatch(TypedDict):
    """SubscriptionPatch"""

    url: NotRequired[str | None]
    event_types: NotRequired[
        list[
            Literal[
                "case.created",
                "case.transitioned",
                "case.hold_placed",
                "case.hold_lifted",
                "list.received",
                "screening.finished",
                "amendment.proposed",
                "amendment.confirmed",
                "amendment.rejected",
                "amendment.withdrawn",
                "agreement.status_changed",
            ]
        ]
        | None
    ]
    description: NotRequired[str | None]
    active: NotRequired[bool | None]


class DeliveryOut(TypedDict):
    """DeliveryOut"""

    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: Literal["pending", "sending", "delivered", "failed"]
    attempts: int
    next_attempt_at: str | None
    last_attempt_at: str | None
    last_status_code: int | None
    last_error: str
    delivered_at: str | None
    event: dict[str, Any]


class RunOut(TypedDict):
    """RunOut"""

    id: str
    agreement: str
    status: Literal["queued", "running", "done", "failed"]
    trigger: str
    reference: str
    case_count: int
    entry_count: int
    match_count: int
    not_screenable_count: int
    not_screenable_case_ids: list[str]
    versions_used: dict[str, int]
    created_at: str
    started_at: str | None
    finished_at: str | None
    error: str


class RunIn(TypedDict):
    """RunIn"""

    reference: NotRequired[str]
    case_ids: NotRequired[list[str] | None]


class EntryOut(TypedDict):
    """The listing behind a match: only for the list's owner, or a shared list."""

    external_id: str
    name: str
    aliases: list[str]
    birth_date: str
    nationality: str
    document_number: str


class WatchlistRef(TypedDict):
    """WatchlistRef"""

    id: str
    name: str
    slug: str
    version: int


class MatchOut(TypedDict):
    """MatchOut"""

    id: str
    case: str
    run: str
    status: Literal["pending", "confirmed", "dismissed"]
    score: float
    watchlist: WatchlistRef
    entry_shared: bool
    entry: EntryOut | None
    matched_name: str | None
    explanation: str | None
    reason: str
    reviewed_at: str | None
    created_at: str


class ReviewIn(TypedDict):
    """ReviewIn"""

    decision: Literal["confirm", "dismiss"]
    reason: str
    internal_note: NotRequired[str]


class DocumentOut(TypedDict):
    """DocumentOut"""

    id: str
    type: str
    number: str
    issuing_country: str
    issued_on: str | None
    expires_on: str | None
    is_copy: bool
    flagged_false: bool


class OtherNameOut(TypedDict):
    """OtherNameOut"""

    kind: str
    given_names: str
    family_name: str


class PersonDetailOut(TypedDict):
    """PersonDetailOut"""

    case: str
    owner: str
    shared: dict[str, bool]
    given_names: str
    family_name: str
    given_names_latin: str
    family_name_latin: str
    other_names: list[OtherNameOut]
    birth_date: str | None
    place_of_birth: str
    sex: str
    nationalities: list[str]
    languages: list[str] | None
    documents: list[DocumentOut] | None
    convictions: list[dict[str, str | None]] | None
    pending_criminal_case: bool | None
    vulnerabilities: list[str] | None
    anonymised_at: str | None
    etag: str


class OtherNameIn(TypedDict):
    """OtherNameIn"""

    kind: Literal["alias", "former", "birth", "script"]
    given_names: NotRequired[str]
    family_name: str


class PersonPatchIn(TypedDict):
    """Only the fields sent change; a list sent replaces the list."""

    given_names: NotRequired[str | None]
    family_name: NotRequired[str | None]
    given_names_latin: NotRequired[str | None]
    family_name_latin: NotRequired[str | None]
    other_names: NotRequired[list[OtherNameIn] | None]
    birth_date: NotRequired[str | None]
    place_of_birth: NotRequired[str | None]
    sex: NotRequired[Literal["F", "M", "X", "U"] | None]
    nationalities: NotRequired[list[str] | None]
    languages: NotRequired[list[str] | None]


class PersonDocumentIn(TypedDict):
    """PersonDocumentIn"""

    type: str
    number: str
    issuing_country: str
    issued_on: NotRequired[str | None]
    expires_on: NotRequired[str | None]
    is_copy: NotRequired[bool]


class AttachmentOut(TypedDict):
    """AttachmentOut"""

    id: str
    case: str
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    organisation: str
    created_at: str
    download: str


class DeadlineDetailOut(TypedDict):
    """DeadlineDetailOut"""

    id: str
    kind: str
    label: str
    due_on: str
    status: str
    met_at: str | None
    lapsed_at: str | None
    cancelled_at: str | None
    explanation: str


class StayDetailOut(TypedDict):
    """StayDetailOut"""

    id: str
    site: str
    site_id: str
    arrived_at: str
    max_end: str | None
    return_plan: str
    return_plan_recorded_at: str | None
    ended_at: str | None
    outcome: str
    etag: str


class TransferPlanOut(TypedDict):
    """TransferPlanOut"""

    id: str
    planned_for: str
    urgent: bool
    route: str
    flight: str
    crossing_point: str
    escort: str
    medical_needs: str | None
    notice_language: str
    notice_given_at: str
    created_at: str


class DuplicateCandidateOut(TypedDict):
    """DuplicateCandidateOut"""

    id: str
    kind: str
    score: float
    evidence: str
    status: str
    other_cases: list[str]


class LetterIn(TypedDict):
    """LetterIn"""

    kind: Literal[
        "selected",
        "declined",
        "readmission_accepted",
        "readmission_rejected",
        "transfer_notice",
        "reception_stay",
    ]
    language: Literal["en", "es", "ht", "fr", "ar", "bn", "cnr"]


class DuplicateDecisionOut(TypedDict):
    """DuplicateDecisionOut"""

    id: str
    kind: str
    score: float
    status: str
    decided_at: str | None
    reason: str


class DuplicateDecisionIn(TypedDict):
    """DuplicateDecisionIn"""

    decision: Literal["merge", "distinct"]
    reason: str


class WhyOut(TypedDict):
    """WhyOut"""

    field: str
    word: NotRequired[str | None]
    part: NotRequired[str | None]
    how: NotRequired[str | None]


class HitOut(TypedDict):
    """HitOut"""

    case: str
    reference: str
    state: str
    agreement: str
    name: str
    score: float
    why: list[WhyOut]


class SearchOut(TypedDict):
    """SearchOut"""

    query: str
    results: list[HitOut]
    more: bool
