"""Letters to the person, in their language: generated as PDF, attached to the case, audited.

``letter_create`` is the one way in (the case page and ``POST /cases/{id}/letters``): the
case gate first (a non-party gets NotFound), then the role (caseworkers, supervisors and
liaison officers of a party), then whether the letter is due in the case's state (a
"declined" letter for a case that was not declined is refused, naming the rule
``letter-not-due``). The wording is the language file's (``readmit.documents.wording``); the
facts are the case's: the person's name exactly as written, the reason the decision gave,
the planned transfer and the agreement's notice period, the stay and the longest stay. The
PDF is stored as an attachment of kind ``letter``, served only through the attachment gates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from readmit.accounts.access import access_case, standing
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import CASE_WRITERS
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.attachments import attachment_store
from readmit.cases.models import Attachment, AttachmentKind, Case
from readmit.core import clock
from readmit.core.errors import N_, Forbidden, Term, TransitionRefused, ValidationFailed
from readmit.core.zones import country_zone, zone
from readmit.documents import fonts
from readmit.documents.render import LetterFacts, letter_html, texts_printed
from readmit.documents.wording import (
    LETTER_KINDS,
    default_language,
    languages,
)

_RELOCATION_KINDS = frozenset({"relocation", "reception"})
_ALL_KINDS = frozenset({"relocation", "reception", "readmission"})
# Which letter is due for which kind of case in which states: a decision letter once the
# decision is taken (and while the case goes on), a notice while what it notifies stands.
LETTER_DUE: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "selected": (
        frozenset({"relocation"}),
        frozenset({"selected", "transfer_scheduled", "in_reception", "departed"}),
    ),
    "declined": (_RELOCATION_KINDS, frozenset({"declined"})),
    "readmission_accepted": (
        frozenset({"readmission"}),
        frozenset({"accepted", "deemed_accepted", "travel_document_issued", "transfer_scheduled"}),
    ),
    "readmission_rejected": (frozenset({"readmission"}), frozenset({"rejected"})),
    "transfer_notice": (_ALL_KINDS, frozenset({"transfer_scheduled"})),
    "reception_stay": (_RELOCATION_KINDS, frozenset({"in_reception"})),
}
# The transition whose reason a decision letter quotes.
_DECISION_ACTION = {"declined": "decline", "readmission_rejected": "reject"}


# Why a letter is not due: one whole sentence per letter (its name is part of the sentence).
_NOT_DUE = {
    "selected": N_(
        "A 'Decision: selected' letter is written for a %(kinds)s case in state %(states)s; "
        "this %(kind)s case is '%(state)s'."
    ),
    "declined": N_(
        "A 'Decision: declined' letter is written for a %(kinds)s case in state %(states)s; "
        "this %(kind)s case is '%(state)s'."
    ),
    "readmission_accepted": N_(
        "A 'Decision: readmission accepted' letter is written for a %(kinds)s case in state "
        "%(states)s; this %(kind)s case is '%(state)s'."
    ),
    "readmission_rejected": N_(
        "A 'Decision: readmission rejected' letter is written for a %(kinds)s case in state "
        "%(states)s; this %(kind)s case is '%(state)s'."
    ),
    "transfer_notice": N_(
        "A 'Transfer notice' letter is written for a %(kinds)s case in state %(states)s; this "
        "%(kind)s case is '%(state)s'."
    ),
    "reception_stay": N_(
        "A 'Reception-stay notice' letter is written for a %(kinds)s case in state %(states)s; "
        "this %(kind)s case is '%(state)s'."
    ),
}


def _invalid(field: str, sentence: str, message: str, choices: str) -> ValidationFailed:
    """``field`` refused: ``sentence`` is the whole marked refusal (with ``%(choices)s``),
    ``message`` the field's."""
    return ValidationFailed(
        sentence, params={"choices": choices}, errors=[{"loc": [field], "msg": message}]
    )


def letters_due(case: Case) -> list[str]:
    """The letters that may be written for the case now, in the order of ``LETTER_KINDS``."""
    return [
        kind
        for kind in LETTER_KINDS
        if case.kind in LETTER_DUE[kind][0] and case.state in LETTER_DUE[kind][1]
    ]


def suggested_language(case: Case) -> str:
    """The notice language of the latest transfer plan, else the person's first language a
    letter exists in, else English."""
    candidates: list[str] = []
    plan = case.transfer_plans.order_by("-created_at").first()
    if plan is not None:
        candidates.append(plan.notice_language)
    candidates.extend(str(code) for code in (case.person.languages or []))
    return default_language(candidates)


def _local(moment: dt.datetime, case: Case) -> str:
    """A moment in the sending state's zone, where the person is told: ``2027-03-01 09:00
    UTC-05:00``."""
    party = case.agreement.sending_party
    org = party.organisation if party else None
    tz = zone(org.time_zone or country_zone(org.country_id)) if org else dt.UTC
    local = moment.astimezone(tz)
    offset = local.strftime("%z") or "+0000"
    return f"{local:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:]}"


def _decision_reason(case: Case, kind: str) -> str:
    action = _DECISION_ACTION.get(kind)
    if action is None:
        return ""
    event = (
        AuditEvent.objects.filter(
            case_id=case.id,
            event_type=AuditEventType.CASE_TRANSITIONED,
            data__action=action,
        )
        .order_by("-seq")
        .first()
    )
    return str(event.data.get("reason", "")) if event else ""


def letter_facts(case: Case, kind: str, *, issued_by: str) -> LetterFacts:
    person = case.person
    name = " ".join(p for p in (person.given_names, person.family_name) if p)
    receiving = case.agreement.receiving_party
    terms = case.agreement.parsed_terms
    facts: dict[str, object] = {}
    if kind == "transfer_notice":
        plan = case.transfer_plans.order_by("-created_at").first()
        if plan is None:
            raise TransitionRefused(
                N_("A transfer notice needs a planned transfer; schedule the transfer first."),
                rule="letter-not-due",
            )
        hours = terms.notice_hours
        if plan.urgent and terms.urgent_notice_hours is not None:
            hours = terms.urgent_notice_hours
        facts.update(planned_for=_local(plan.planned_for, case), notice_hours=hours)
    if kind == "reception_stay":
        stay = case.stays.filter(ended_at__isnull=True).order_by("-arrived_at").first()
        arrived = stay.arrived_at if stay else None
        facts.update(
            arrived_on=arrived.date().isoformat() if arrived else "",
            max_stay_days=terms.max_stay_days,
        )
    return LetterFacts(
        kind=kind,
        name=name,
        case_reference=case.reference,
        agreement=case.agreement.title,
        receiving=receiving.organisation.name if receiving else "",
        issued_by=issued_by,
        issued_on=clock.today().isoformat(),
        reason=_decision_reason(case, kind),
        **facts,  # type: ignore[arg-type]
    )


def letter_pdf(facts: LetterFacts, language: str) -> tuple[str, bytes]:
    """The letter's HTML and its PDF (refused with ``pdf-font-missing`` rather than boxes)."""
    lang = languages()[language]
    page = letter_html(facts, lang, font_css=fonts.font_face_css())
    return page, fonts.write_pdf(page, texts_printed(facts, lang))


def letter_create(
    *, case_id: uuid.UUID | str, kind: str, language: str, acting_user: User
) -> Attachment:
    case = access_case(acting_user, case_id)
    position = standing(acting_user, case.agreement)
    if position.organisation_id is None or not position.roles & CASE_WRITERS:
        raise Forbidden(
            N_(
                "Only caseworkers, supervisors and liaison officers of a party may write letters "
                "to the person."
            ),
            type="wrong-role",
        )
    if kind not in LETTER_KINDS:
        choices = ", ".join(LETTER_KINDS)
        raise _invalid(
            "kind", N_("kind: must be one of %(choices)s"), f"must be one of {choices}", choices
        )
    if language not in languages():
        names = ", ".join(f"{code} ({lang.english_name})" for code, lang in languages().items())
        raise _invalid(
            "language", N_("language: must be one of %(choices)s"), f"must be one of {names}", names
        )
    if case.person.anonymised_at is not None:
        raise TransitionRefused(
            N_(
                "The person's data was removed after the agreement's retention period; no "
                "letter can be addressed to them."
            ),
            rule="personal-data-removed",
        )
    if kind not in letters_due(case):
        kinds, states = LETTER_DUE[kind]
        raise TransitionRefused(
            _NOT_DUE[kind],
            params={
                "kinds": ", ".join(sorted(kinds)),
                "states": ", ".join(sorted(states)),
                "kind": Term(case.kind),
                "state": Term(case.state),
            },
            rule="letter-not-due",
        )

    organisation = Organisation.objects.get(id=position.organisation_id)
    facts = letter_facts(case, kind, issued_by=organisation.name)
    _, pdf = letter_pdf(facts, language)
    filename = f"{case.reference}-{kind}-{language}.pdf"
    return attachment_store(
        case=case,
        kind=AttachmentKind.LETTER,
        filename=filename,
        content_type="application/pdf",
        data=pdf,
        acting_user=acting_user,
        organisation_id=position.organisation_id,
        event_type=AuditEventType.LETTER_GENERATED,
        audit_data={"letter": kind, "language": language, "filename": filename},
    )
