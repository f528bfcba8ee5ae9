"""Writes on agreements: creation, parties, sites, status, terms, and the diplomatic record."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from pydantic import ValidationError as PydanticValidationError

from readmit.accounts.access import access_agreement, standing
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.agreements import lifecycle
from readmit.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementStatusChange,
    AgreementVersion,
    ContactChannel,
    DiplomaticContact,
    PublicPosition,
    Site,
    Stance,
)
from readmit.agreements.terms import AgreementTerms
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.errors import Forbidden, TransitionRefused, ValidationFailed

# Who may change an agreement's status or amend its terms, on either party's side. Rules are
# data an administrator maintains; supervisors record what their government agreed.
AGREEMENT_EDITORS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def validate_terms(terms: dict[str, Any]) -> AgreementTerms:
    try:
        return AgreementTerms.model_validate(terms)
    except PydanticValidationError as exc:
        errors = [{"loc": ["terms", *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]
        raise ValidationFailed("The agreement's terms are invalid.", errors=errors) from None


def agreement_create(
    *,
    reference: str,
    title: str,
    kind: str,
    sending: Organisation,
    receiving: Organisation,
    terms: dict[str, Any],
    acting_user: User | None,
    status: str = AgreementStatus.APPROACHED,
    signed_on: dt.date | None = None,
    in_force_from: dt.date | None = None,
    ends_on: dt.date | None = None,
    source: str = "",
) -> Agreement:
    parsed = validate_terms(terms)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            reference=reference,
            title=title,
            kind=kind,
            status=status,
            terms=parsed.model_dump(mode="json"),
            signed_on=signed_on,
            in_force_from=in_force_from,
            ends_on=ends_on,
            source=source,
        )
        for org, side in ((sending, "sending"), (receiving, "receiving")):
            AgreementParty.objects.create(agreement=agreement, organisation=org, side=side)
        AgreementVersion.objects.create(
            agreement=agreement,
            number=1,
            terms=agreement.terms,
            valid_from=agreement.created_at,
            reason="Terms as first recorded.",
            source=source,
            recorded_by=acting_user,
        )
        audit_record(
            event_type=AuditEventType.AGREEMENT_CREATED,
            acting_user=acting_user,
            organisation_id=sending.id,
            agreement_id=agreement.id,
            object_type="agreement",
            object_id=str(agreement.id),
            data={
                "reference": reference,
                "kind": kind,
                "status": status,
                "sending": sending.slug,
                "receiving": receiving.slug,
            },
        )
    return agreement


def agreement_party_add(
    *, agreement: Agreement, organisation: Organisation, side: str, acting_user: User | None
) -> AgreementParty:
    """Add another authority on one side, e.g. a consular mission of the receiving state."""
    with transaction.atomic():
        party = AgreementParty.objects.create(
            agreement=agreement, organisation=organisation, side=side
        )
        audit_record(
            event_type=AuditEventType.AGREEMENT_PARTY_ADDED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            agreement_id=agreement.id,
            object_type="agreement_party",
            object_id=str(party.id),
            data={"organisation": organisation.slug, "side": side},
        )
    return party


def site_create(
    *,
    agreement: Agreement,
    name: str,
    country_code: str,
    capacity: int,
    location: str = "",
    acting_user: User | None,
) -> Site:
    if capacity < 0:
        raise ValidationFailed(
            "A site's capacity cannot be negative.",
            errors=[{"loc": ["capacity"], "msg": "must be >= 0"}],
        )
    with transaction.atomic():
        site = Site.objects.create(
            agreement=agreement,
            name=name,
            country_id=country_code,
            capacity=capacity,
            location=location,
        )
        audit_record(
            event_type=AuditEventType.SITE_CREATED,
            acting_user=acting_user,
            agreement_id=agreement.id,
            object_type="site",
            object_id=str(site.id),
            data={"name": name, "capacity": capacity},
        )
    return site


# Who may write the diplomatic record of an agreement: the people who talk to the other side.
DIPLOMATIC_RECORDERS = frozenset({Role.LIAISON, Role.SUPERVISOR, Role.ADMINISTRATOR})


def _require_recorder(agreement: Agreement, acting_user: User | None, what: str) -> None:
    """A party's liaison officer, supervisor or administrator; ``None`` is a system loader."""
    if acting_user is None:
        return
    access_agreement(acting_user, agreement.id)
    if not standing(acting_user, agreement).roles & DIPLOMATIC_RECORDERS:
        raise Forbidden(
            f"Only a liaison officer, supervisor or administrator of a party may {what}.",
            type="wrong-role",
        )


def _require_record_fields(
    *, source: str, countries: dict[str, str], choice: tuple[str, str], allowed: list[str]
) -> None:
    from readmit.core.models import Country

    errors = []
    if not source.strip():
        errors.append({"loc": ["source"], "msg": "a source is required"})
    for field, code in countries.items():
        if not Country.objects.filter(code=code).exists():
            errors.append({"loc": [field], "msg": f"unknown country code {code!r}"})
    if choice[1] not in allowed:
        errors.append({"loc": [choice[0]], "msg": f"must be one of {', '.join(allowed)}"})
    if errors:
        raise ValidationFailed("The record is incomplete or invalid.", errors=errors)


def contact_record(
    *,
    agreement: Agreement,
    occurred_on: dt.date,
    from_country: str,
    to_country: str,
    channel: str,
    summary: str,
    source: str = "",
    acting_user: User | None,
) -> DiplomaticContact:
    _require_recorder(agreement, acting_user, "record a diplomatic contact")
    _require_record_fields(
        source=source,
        countries={"from_country": from_country, "to_country": to_country},
        choice=("channel", channel),
        allowed=ContactChannel.values,
    )
    with transaction.atomic():
        contact = DiplomaticContact.objects.create(
            agreement=agreement,
            occurred_on=occurred_on,
            from_country_id=from_country,
            to_country_id=to_country,
            channel=channel,
            summary=summary,
            source=source,
        )
        audit_record(
            event_type=AuditEventType.DIPLOMATIC_CONTACT_RECORDED,
            acting_user=acting_user,
            agreement_id=agreement.id,
            object_type="contact",
            object_id=str(contact.id),
            data={
                "on": occurred_on.isoformat(),
                "from": from_country,
                "to": to_country,
                "channel": channel,
            },
        )
    return contact


def position_record(
    *,
    agreement: Agreement,
    country: str,
    stated_on: dt.date,
    stance: str,
    statement: str,
    source: str = "",
    acting_user: User | None,
) -> PublicPosition:
    _require_recorder(agreement, acting_user, "record a public position")
    _require_record_fields(
        source=source,
        countries={"country": country},
        choice=("stance", stance),
        allowed=Stance.values,
    )
    with transaction.atomic():
        position = PublicPosition.objects.create(
            agreement=agreement,
            country_id=country,
            stated_on=stated_on,
            stance=stance,
            statement=statement,
            source=source,
        )
        audit_record(
            event_type=AuditEventType.PUBLIC_POSITION_RECORDED,
            acting_user=acting_user,
            agreement_id=agreement.id,
            object_type="position",
            object_id=str(position.id),
            data={"country": country, "stance": stance, "on": stated_on.isoformat()},
        )
    return position


# Lifecycle -------------------------------------------------------------------------------


def _editable_agreement(
    acting_user: User, agreement: Agreement | uuid.UUID | str, what: str
) -> tuple[Agreement, uuid.UUID | None]:
    """The agreement if the caller may edit it; ``NotFound`` for a non-party, else
    ``Forbidden`` for a role other than supervisor or administrator."""
    agreement_id = agreement.id if isinstance(agreement, Agreement) else agreement
    found = access_agreement(acting_user, agreement_id)
    position = standing(acting_user, found)
    if not position.roles & AGREEMENT_EDITORS:
        raise Forbidden(
            f"Only a supervisor or an administrator of a party may {what}.", type="wrong-role"
        )
    return found, position.organisation_id


def _required_text(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(message, errors=[{"loc": [field], "msg": "is required"}])
    return value


def agreement_set_status(
    *,
    agreement: Agreement | uuid.UUID | str,
    status: str,
    on: dt.date,
    source: str,
    reason: str = "",
    acting_user: User,
) -> Agreement:
    """Move the agreement along ``lifecycle.TRANSITIONS``, or refuse and write nothing.

    Entering ``signed``, ``in_force`` or ``ended`` records ``on`` as ``signed_on``,
    ``in_force_from`` or ``ends_on``; resuming from a suspension keeps ``in_force_from``.
    ``on`` may not lie in the future nor before the agreement's last recorded date.
    """
    found, organisation_id = _editable_agreement(
        acting_user, agreement, "change an agreement's status"
    )
    source = _required_text(source, "source", "Say where the status change is known from.")
    reason = reason.strip()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(id=found.id)
        current = locked.status
        target = lifecycle.check_status_change(current, status)
        if target in lifecycle.NEEDS_REASON and not reason:
            raise ValidationFailed(
                f"Becoming '{target.value}' needs a reason.",
                errors=[{"loc": ["reason"], "msg": "a reason is required"}],
            )
        if on > clock.today():
            raise ValidationFailed(
                f"{on.isoformat()} is in the future: record a status change when it happens.",
                errors=[{"loc": ["on"], "msg": "cannot be in the future"}],
            )
        last = AgreementStatusChange.objects.filter(agreement=locked).aggregate(m=Max("on"))["m"]
        earliest = max(
            (d for d in (last, locked.signed_on, locked.in_force_from) if d is not None),
            default=None,
        )
        if earliest is not None and on < earliest:
            raise ValidationFailed(
                f"{on.isoformat()} is before {earliest.isoformat()}, the agreement's last "
                "recorded date: the lifecycle only moves forward.",
                errors=[{"loc": ["on"], "msg": f"cannot be before {earliest.isoformat()}"}],
            )
        field = lifecycle.date_field_set_on_entry(current, target)
        if field is not None:
            setattr(locked, field, on)
        locked.status = target.value
        locked.save(update_fields=["status", "signed_on", "in_force_from", "ends_on", "updated_at"])
        change = AgreementStatusChange.objects.create(
            agreement=locked,
            on=on,
            from_status=current,
            to_status=target.value,
            source=source,
            reason=reason,
            changed_by=acting_user,
        )
        audit_record(
            event_type=AuditEventType.AGREEMENT_STATUS_CHANGED,
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=locked.id,
            object_type="agreement_status_change",
            object_id=str(change.id),
            data={
                "from": current,
                "to": target.value,
                "on": on.isoformat(),
                "source": source,
                "reason": reason,
                **({field: on.isoformat()} if field else {}),
            },
        )
    return locked


# Amendments ------------------------------------------------------------------------------


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def terms_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Changed settings by dotted path: ``{"quota.limit": {"from": 50, "to": 60}}``.

    Lists (criteria, categories) compare as a whole.
    """
    before, after = _flatten(old), _flatten(new)
    return {
        path: {"from": before.get(path), "to": after.get(path)}
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    }


def _short(value: Any) -> str:
    text = "none" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def diff_summary(diff: Mapping[str, Mapping[str, Any]]) -> str:
    return ", ".join(f"{path} {_short(c['from'])}→{_short(c['to'])}" for path, c in diff.items())


def agreement_amend(
    *,
    agreement: Agreement | uuid.UUID | str,
    terms: dict[str, Any],
    valid_from: dt.datetime,
    reason: str,
    source: str,
    acting_user: User,
) -> AgreementVersion:
    """Record an amendment as the next version of the terms.

    ``terms`` is the complete new set of settings (not a patch). It becomes the agreement's
    current terms at once when ``valid_from`` is not in the future; otherwise
    ``agreement_terms_refresh`` promotes it when its time comes. Versions follow each other
    in time: ``valid_from`` may not precede the latest version's. An ended agreement cannot
    be amended.
    """
    found, organisation_id = _editable_agreement(acting_user, agreement, "amend an agreement")
    reason = _required_text(
        reason, "reason", "Say why the terms change (e.g. 'cap raised by mutual consent')."
    )
    source = source.strip()
    if valid_from.tzinfo is None or valid_from.utcoffset() is None:
        raise ValidationFailed(
            "valid_from needs a time zone.",
            errors=[{"loc": ["valid_from"], "msg": "must be timezone-aware"}],
        )
    parsed = validate_terms(terms)
    new_terms = parsed.model_dump(mode="json")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(id=found.id)
        if locked.status == AgreementStatus.ENDED:
            raise TransitionRefused(
                f"Agreement '{locked.reference}' has ended: its terms can no longer be amended.",
                rule="agreement-lifecycle",
            )
        latest = AgreementVersion.objects.filter(agreement=locked).order_by("-number").first()
        previous_terms = latest.terms if latest is not None else locked.terms
        if latest is not None and valid_from < latest.valid_from:
            raise ValidationFailed(
                f"Version {latest.number} is valid from {latest.valid_from.isoformat()}; an "
                "amendment cannot take effect before it.",
                errors=[
                    {
                        "loc": ["valid_from"],
                        "msg": f"cannot be before {latest.valid_from.isoformat()}",
                    }
                ],
            )
        diff = terms_diff(previous_terms, new_terms)
        if not diff:
            raise ValidationFailed(
                "The amendment changes nothing.",
                errors=[{"loc": ["terms"], "msg": "same as the latest version"}],
            )
        now = clock.now()
        version = AgreementVersion.objects.create(
            agreement=locked,
            number=(latest.number + 1 if latest is not None else 1),
            terms=new_terms,
            valid_from=valid_from,
            reason=reason,
            source=source,
            recorded_by=acting_user,
        )
        current = valid_from <= now
        if current:
            locked.terms = new_terms
            locked.save(update_fields=["terms", "updated_at"])
        summary = diff_summary(diff)
        audit_record(
            event_type=AuditEventType.AGREEMENT_SETTINGS_CHANGED,
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=locked.id,
            object_type="agreement_version",
            object_id=str(version.id),
            data={
                "version": version.number,
                "valid_from": valid_from.isoformat(),
                "current": current,
                "changes": diff,
                "summary": f"{summary}: {reason}",
                "reason": reason,
                "source": source,
            },
        )
    return version


def agreement_terms_refresh(*, agreement: Agreement, acting_user: User | None = None) -> bool:
    """Make ``Agreement.terms`` the terms in force now, if an amendment has come due.

    True when it changed. Run it from the periodic sweep: an amendment recorded with a future
    ``valid_from`` becomes current at that moment, and pages and the API read
    ``Agreement.terms``. Decisions should not rely on it; they call ``terms_at``.
    """
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(id=agreement.id)
        due = (
            AgreementVersion.objects.filter(agreement=locked, valid_from__lte=clock.now())
            .order_by("-valid_from", "-number")
            .first()
        )
        if due is None or due.terms == locked.terms:
            return False
        diff = terms_diff(locked.terms, due.terms)
        locked.terms = due.terms
        locked.save(update_fields=["terms", "updated_at"])
        audit_record(
            event_type=AuditEventType.AGREEMENT_SETTINGS_CHANGED,
            acting_user=acting_user,
            agreement_id=locked.id,
            object_type="agreement_version",
            object_id=str(due.id),
            data={
                "version": due.number,
                "valid_from": due.valid_from.isoformat(),
                "current": True,
                "took_effect": True,
                "changes": diff,
                "summary": f"{diff_summary(diff)}: version {due.number} took effect",
            },
        )
    agreement.terms = locked.terms
    return True


def agreement_terms_refresh_due(*, acting_user: User | None = None) -> int:
    """Refresh every agreement (there are tens, not thousands); how many changed."""
    return sum(
        agreement_terms_refresh(agreement=a, acting_user=acting_user)
        for a in Agreement.objects.only("id", "terms").iterator()
    )
