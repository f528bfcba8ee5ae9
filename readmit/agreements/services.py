"""Writes on agreements: creation, parties, sites, status, terms, and the diplomatic record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from pydantic import ValidationError as PydanticValidationError

from readmit.accounts.models import Organisation, User
from readmit.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    DiplomaticContact,
    PublicPosition,
    Site,
)
from readmit.agreements.terms import AgreementTerms
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core.errors import ValidationFailed


def validate_terms(terms: dict[str, Any]) -> AgreementTerms:
    try:
        return AgreementTerms.model_validate(terms)
    except PydanticValidationError as exc:
        errors = [{"loc": ["terms", *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]
        raise ValidationFailed("The agreement's terms are invalid.", errors=errors) from None


def agreement_create(
    *, reference: str, title: str, kind: str, sending: Organisation, receiving: Organisation,
    terms: dict[str, Any], acting_user: User | None, status: str = AgreementStatus.APPROACHED,
    signed_on: dt.date | None = None, in_force_from: dt.date | None = None,
    ends_on: dt.date | None = None, source: str = "",
) -> Agreement:
    parsed = validate_terms(terms)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            reference=reference, title=title, kind=kind, status=status,
            terms=parsed.model_dump(mode="json"), signed_on=signed_on,
            in_force_from=in_force_from, ends_on=ends_on, source=source,
        )
        for org, side in ((sending, "sending"), (receiving, "receiving")):
            AgreementParty.objects.create(agreement=agreement, organisation=org, side=side)
        audit_record(event_type=AuditEventType.AGREEMENT_CREATED, acting_user=acting_user,
                     organisation_id=sending.id, agreement_id=agreement.id,
                     object_type="agreement", object_id=str(agreement.id),
                     data={"reference": reference, "kind": kind, "status": status,
                           "sending": sending.slug, "receiving": receiving.slug})
    return agreement


def agreement_party_add(*, agreement: Agreement, organisation: Organisation, side: str,
                        acting_user: User | None) -> AgreementParty:
    """Add another authority on one side, e.g. a consular mission of the receiving state."""
    with transaction.atomic():
        party = AgreementParty.objects.create(agreement=agreement, organisation=organisation,
                                              side=side)
        audit_record(event_type=AuditEventType.AGREEMENT_PARTY_ADDED, acting_user=acting_user,
                     organisation_id=organisation.id, agreement_id=agreement.id,
                     object_type="agreement_party", object_id=str(party.id),
                     data={"organisation": organisation.slug, "side": side})
    return party


def site_create(*, agreement: Agreement, name: str, country_code: str, capacity: int,
                location: str = "", acting_user: User | None) -> Site:
    if capacity < 0:
        raise ValidationFailed("A site's capacity cannot be negative.",
                               errors=[{"loc": ["capacity"], "msg": "must be >= 0"}])
    with transaction.atomic():
        site = Site.objects.create(agreement=agreement, name=name, country_id=country_code,
                                   capacity=capacity, location=location)
        audit_record(event_type=AuditEventType.SITE_CREATED, acting_user=acting_user,
                     agreement_id=agreement.id, object_type="site", object_id=str(site.id),
                     data={"name": name, "capacity": capacity})
    return site


def contact_record(*, agreement: Agreement, occurred_on: dt.date, from_country: str,
                   to_country: str, channel: str, summary: str, source: str = "",
                   acting_user: User | None) -> DiplomaticContact:
    with transaction.atomic():
        contact = DiplomaticContact.objects.create(
            agreement=agreement, occurred_on=occurred_on, from_country_id=from_country,
            to_country_id=to_country, channel=channel, summary=summary, source=source)
        audit_record(event_type=AuditEventType.DIPLOMATIC_CONTACT_RECORDED,
                     acting_user=acting_user, agreement_id=agreement.id,
                     object_type="contact", object_id=str(contact.id),
                     data={"on": occurred_on.isoformat(), "from": from_country,
                           "to": to_country, "channel": channel})
    return contact


def position_record(*, agreement: Agreement, country: str, stated_on: dt.date, stance: str,
                    statement: str, source: str = "",
                    acting_user: User | None) -> PublicPosition:
    with transaction.atomic():
        position = PublicPosition.objects.create(
            agreement=agreement, country_id=country, stated_on=stated_on, stance=stance,
            statement=statement, source=source)
        audit_record(event_type=AuditEventType.PUBLIC_POSITION_RECORDED,
                     acting_user=acting_user, agreement_id=agreement.id,
                     object_type="position", object_id=str(position.id),
                     data={"country": country, "stance": stance,
                           "on": stated_on.isoformat()})
    return position
