"""Writes on agreements: creation, parties, sites, status, terms, and the diplomatic record."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Max
from pydantic import ValidationError as PydanticValidationError

from readmit.accounts.access import access_agreement, standing
from readmit.accounts.actors import Actor, person_of
from readmit.accounts.models import Organisation, User
from readmit.agreements import lifecycle
from readmit.agreements.access import can_record_diplomacy, is_editor
from readmit.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementStatusChange,
    AgreementVersion,
    AmendmentProposal,
    ContactChannel,
    DiplomaticContact,
    NoticeState,
    ProposalState,
    PublicPosition,
    Site,
    Stance,
    TerminationNotice,
)
from readmit.agreements.terms import AgreementTerms
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.actors import SystemAction, SystemActor, acts_as_system
from readmit.core.errors import N_, Forbidden, NotFound, Term, TransitionRefused, ValidationFailed


def validate_terms(terms: dict[str, Any]) -> AgreementTerms:
    try:
        return AgreementTerms.model_validate(terms)
    except PydanticValidationError as exc:
        errors = [{"loc": ["terms", *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]
        raise ValidationFailed(N_("The agreement's terms are invalid."), errors=errors) from None


def agreement_create(
    *,
    reference: str,
    title: str,
    kind: str,
    sending: Organisation,
    receiving: Organisation,
    terms: dict[str, Any],
    acting_user: Actor,
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
            recorded_by=person_of(acting_user),
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
    *, agreement: Agreement, organisation: Organisation, side: str, acting_user: Actor
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
    acting_user: Actor,
) -> Site:
    if capacity < 0:
        raise ValidationFailed(
            N_("A site's capacity cannot be negative."),
            errors=[{"loc": ["capacity"], "msg": N_("must be >= 0")}],
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


def _require_recorder(agreement: Agreement, acting_user: Actor, refusal: str) -> None:
    """A party's liaison officer, supervisor or administrator, or a system loader;
    ``refusal`` is the marked message for anyone else."""
    if acts_as_system(acting_user, SystemAction.AGREEMENT_RECORD):
        return
    access_agreement(acting_user, agreement.id)
    if not can_record_diplomacy(acting_user, agreement):
        raise Forbidden(refusal, type="wrong-role")


def _require_record_fields(
    *, source: str, countries: dict[str, str], choice: tuple[str, str], allowed: list[str]
) -> None:
    from readmit.core.models import Country

    errors = []
    if not source.strip():
        errors.append({"loc": ["source"], "msg": N_("a source is required")})
    for field, code in countries.items():
        if not Country.objects.filter(code=code).exists():
            errors.append({"loc": [field], "msg": f"unknown country code {code!r}"})
    if choice[1] not in allowed:
        errors.append({"loc": [choice[0]], "msg": f"must be one of {', '.join(allowed)}"})
    if errors:
        raise ValidationFailed(N_("The record is incomplete or invalid."), errors=errors)


def contact_record(
    *,
    agreement: Agreement,
    occurred_on: dt.date,
    from_country: str,
    to_country: str,
    channel: str,
    summary: str,
    source: str = "",
    acting_user: Actor,
) -> DiplomaticContact:
    _require_recorder(
        agreement,
        acting_user,
        N_(
            "Only a liaison officer, supervisor or administrator of a party may record a "
            "diplomatic contact."
        ),
    )
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
    acting_user: Actor,
) -> PublicPosition:
    _require_recorder(
        agreement,
        acting_user,
        N_(
            "Only a liaison officer, supervisor or administrator of a party may record a "
            "public position."
        ),
    )
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
    acting_user: User, agreement: Agreement | uuid.UUID | str, refusal: str
) -> tuple[Agreement, uuid.UUID | None]:
    """The agreement if the caller may edit it; ``NotFound`` for a non-party, else
    ``Forbidden`` for a role other than supervisor or administrator."""
    agreement_id = agreement.id if isinstance(agreement, Agreement) else agreement
    found = access_agreement(acting_user, agreement_id)
    position = standing(acting_user, found)
    if not is_editor(position):
        raise Forbidden(refusal, type="wrong-role")
    return found, position.organisation_id


def _required_text(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(message, errors=[{"loc": [field], "msg": N_("is required")}])
    return value


# A suspension on a court's order needs no ground in the terms, only the order's reference.
COURT_ORDER = "court_order"


def _suspension_ground(agreement: Agreement, ground: str, reference: str) -> tuple[str, str]:
    """A court order with its reference, or a ground the terms in force list."""
    from readmit.agreements.selectors import current_terms

    listed = current_terms(agreement).suspension_grounds
    allowed = [COURT_ORDER, *listed]
    ground, reference = ground.strip(), reference.strip()
    if ground not in allowed:
        errors = [{"loc": ["ground"], "msg": f"must be one of {', '.join(allowed)}"}]
        if not listed:
            raise ValidationFailed(
                N_(
                    "A suspension names its ground: a court order (with its reference) or a "
                    "ground the agreement lists (none listed)."
                ),
                errors=errors,
            )
        raise ValidationFailed(
            N_(
                "A suspension names its ground: a court order (with its reference) or a "
                "ground the agreement lists (%(listed)s)."
            ),
            params={"listed": ", ".join(listed)},
            errors=errors,
        )
    if ground == COURT_ORDER and not reference:
        raise ValidationFailed(
            N_("A suspension on a court order names the order's reference."),
            errors=[
                {"loc": ["ground_reference"], "msg": N_("the court order's reference is required")}
            ],
        )
    return ground, reference


def agreement_set_status(
    *,
    agreement: Agreement | uuid.UUID | str,
    status: str,
    on: dt.date,
    source: str,
    reason: str = "",
    ground: str = "",
    ground_reference: str = "",
    acting_user: User,
) -> Agreement:
    """Move the agreement along ``lifecycle.TRANSITIONS``, or refuse and write nothing.

    Entering ``signed``, ``in_force`` or ``ended`` records ``on`` as ``signed_on``,
    ``in_force_from`` or ``ends_on``; resuming from a suspension keeps ``in_force_from``.
    ``on`` may not lie in the future nor before the agreement's last recorded date.
    An agreement in force (or suspended) does not end here: one party gives notice
    (``termination_notice_give``) and the sweep ends it when the notice period is over.
    Suspending names its ground (``_suspension_ground``).
    """
    found, organisation_id = _editable_agreement(
        acting_user,
        agreement,
        N_("Only a supervisor or an administrator of a party may change an agreement's status."),
    )
    source = _required_text(source, "source", N_("Say where the status change is known from."))
    reason = reason.strip()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(id=found.id)
        current = locked.status
        target = lifecycle.check_status_change(current, status)
        if target == lifecycle.Status.ENDED and current in lifecycle.ENDS_BY_NOTICE:
            raise TransitionRefused(
                N_(
                    "An agreement that is '%(current)s' ends by a notice of termination, "
                    "%(days)s days after one party gives it; give notice instead (it can be "
                    "withdrawn until it takes effect)."
                ),
                params={"current": Term(current), "days": current_terms_notice_days(locked)},
                rule="termination-notice",
            )
        if target in lifecycle.NEEDS_REASON and not reason:
            raise ValidationFailed(
                N_("Becoming '%(target)s' needs a reason."),
                params={"target": Term(target.value)},
                errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
            )
        if target == lifecycle.Status.SUSPENDED:
            ground, ground_reference = _suspension_ground(locked, ground, ground_reference)
        else:
            ground, ground_reference = "", ""
        if on > clock.today():
            raise ValidationFailed(
                N_("%(on)s is in the future: record a status change when it happens."),
                params={"on": on.isoformat()},
                errors=[{"loc": ["on"], "msg": N_("cannot be in the future")}],
            )
        last = AgreementStatusChange.objects.filter(agreement=locked).aggregate(m=Max("on"))["m"]
        earliest = max(
            (d for d in (last, locked.signed_on, locked.in_force_from) if d is not None),
            default=None,
        )
        if earliest is not None and on < earliest:
            raise ValidationFailed(
                N_(
                    "%(on)s is before %(earliest)s, the agreement's last recorded date: the "
                    "lifecycle only moves forward."
                ),
                params={"on": on.isoformat(), "earliest": earliest.isoformat()},
                errors=[{"loc": ["on"], "msg": f"cannot be before {earliest.isoformat()}"}],
            )
        _status_record(
            locked,
            target=target,
            on=on,
            source=source,
            reason=reason,
            ground=ground,
            ground_reference=ground_reference,
            acting_user=acting_user,
            organisation_id=organisation_id,
        )
    return locked


def current_terms_notice_days(agreement: Agreement) -> int:
    from readmit.agreements.selectors import current_terms

    return current_terms(agreement).termination_notice_days


def _status_record(
    locked: Agreement,
    *,
    target: lifecycle.Status,
    on: dt.date,
    source: str,
    reason: str,
    acting_user: Actor,
    organisation_id: uuid.UUID | None,
    ground: str = "",
    ground_reference: str = "",
    extra: Mapping[str, Any] | None = None,
) -> AgreementStatusChange:
    """Record the move (inside the caller's transaction, agreement row locked) and audit it:
    the history and the audit log are what both parties read."""
    current = locked.status
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
        ground=ground,
        ground_reference=ground_reference,
        changed_by=person_of(acting_user),
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
            **({"ground": ground, "ground_reference": ground_reference} if ground else {}),
            **({field: on.isoformat()} if field else {}),
            **(extra or {}),
        },
    )
    return change


# Ending by notice ------------------------------------------------------------------------


def _notice_data(notice: TerminationNotice, **more: Any) -> dict[str, Any]:
    return {
        "notice": str(notice.id),
        "given_on": notice.given_on.isoformat(),
        "takes_effect_on": notice.takes_effect_on.isoformat(),
        "given_by": notice.given_by_organisation.slug,
        **more,
    }


def termination_notice_give(
    *, agreement: Agreement | uuid.UUID | str, reason: str, source: str, acting_user: User
) -> TerminationNotice:
    """One party gives notice: the agreement ends ``termination_notice_days`` (of the terms in
    force) after today, never earlier; the sweep (``termination_notices_due``) ends it then.
    Only an agreement in force or suspended; one running notice at a time."""
    found, organisation_id = _editable_agreement(
        acting_user,
        agreement,
        N_("Only a supervisor or an administrator of a party may give notice of termination."),
    )
    reason = _required_text(reason, "reason", N_("Say why the agreement is terminated."))
    source = _required_text(source, "source", N_("Say where the notice is given (the note ...)."))
    side = standing(acting_user, found).side
    assert organisation_id is not None and side is not None
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(id=found.id)
        if locked.status not in lifecycle.ENDS_BY_NOTICE:
            raise TransitionRefused(
                N_("An agreement that is '%(status)s' is not terminated by notice: it has ended.")
                if locked.status == AgreementStatus.ENDED
                else N_(
                    "An agreement that is '%(status)s' is not terminated by notice; if talks "
                    "stop, change its status to 'ended'."
                ),
                params={"status": Term(locked.status)},
                rule="agreement-lifecycle",
            )
        running = TerminationNotice.objects.filter(
            agreement=locked, state=NoticeState.PENDING
        ).first()
        if running is not None:
            raise TransitionRefused(
                N_("A notice of termination is already running: the agreement ends on %(day)s."),
                params={"day": running.takes_effect_on.isoformat()},
                rule="termination-notice",
            )
        today = clock.today()
        days = current_terms_notice_days(locked)
        notice = TerminationNotice.objects.create(
            agreement=locked,
            given_on=today,
            takes_effect_on=today + dt.timedelta(days=days),
            reason=reason,
            source=source,
            given_by_organisation_id=organisation_id,
            given_by_side=side.value,
            given_by=acting_user,
        )
        audit_record(
            event_type=AuditEventType.TERMINATION_NOTICE_GIVEN,
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=locked.id,
            object_type="termination_notice",
            object_id=str(notice.id),
            data=_notice_data(notice, notice_days=days, reason=reason, source=source),
        )
    return notice


def termination_notice_withdraw(
    *, agreement: Agreement | uuid.UUID | str, reason: str, acting_user: User
) -> TerminationNotice:
    """The party that gave notice withdraws it, before the day it takes effect."""
    found, organisation_id = _editable_agreement(
        acting_user,
        agreement,
        N_(
            "Only a supervisor or an administrator of a party may withdraw a notice of termination."
        ),
    )
    reason = _required_text(reason, "reason", N_("Say why the notice is withdrawn."))
    side = standing(acting_user, found).side
    with transaction.atomic():
        notice = (
            TerminationNotice.objects.select_for_update()
            .select_related("given_by_organisation")
            .filter(agreement=found, state=NoticeState.PENDING)
            .first()
        )
        if notice is None:
            raise TransitionRefused(
                N_("No notice of termination is running."), rule="termination-notice"
            )
        if side is None or side.value != notice.given_by_side:
            raise Forbidden(
                N_("Only the party that gave notice of termination withdraws it."),
                type="wrong-party",
            )
        if clock.today() >= notice.takes_effect_on:
            raise TransitionRefused(
                N_("The notice took effect on %(day)s: it can no longer be withdrawn."),
                params={"day": notice.takes_effect_on.isoformat()},
                rule="termination-notice",
            )
        notice.state = NoticeState.WITHDRAWN
        notice.withdrawn_by = acting_user
        notice.withdrawn_at = clock.now()
        notice.withdraw_reason = reason
        notice.save(
            update_fields=["state", "withdrawn_by", "withdrawn_at", "withdraw_reason", "updated_at"]
        )
        audit_record(
            event_type=AuditEventType.TERMINATION_NOTICE_WITHDRAWN,
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=found.id,
            object_type="termination_notice",
            object_id=str(notice.id),
            data=_notice_data(notice, reason=reason),
        )
    return notice


def termination_notices_due(*, today: dt.date | None = None) -> int:
    """End every agreement whose notice period is over (run from ``readmit sweep``); how many.

    The end is recorded on the day the notice took effect, by the system, with the notice as
    its source, in the history both parties read and in the audit log."""
    today = today or clock.today()
    ended = 0
    due = TerminationNotice.objects.filter(state=NoticeState.PENDING, takes_effect_on__lte=today)
    for notice_id in list(due.values_list("id", flat=True)):
        with transaction.atomic():
            notice = (
                TerminationNotice.objects.select_for_update()
                .select_related("given_by_organisation")
                .get(id=notice_id)
            )
            if notice.state != NoticeState.PENDING:
                continue
            locked = Agreement.objects.select_for_update().get(id=notice.agreement_id)
            notice.state = NoticeState.EFFECTIVE
            notice.save(update_fields=["state", "updated_at"])
            if locked.status in lifecycle.ENDS_BY_NOTICE:
                _status_record(
                    locked,
                    target=lifecycle.Status.ENDED,
                    on=notice.takes_effect_on,
                    source=f"Notice of termination given on {notice.given_on.isoformat()} by "
                    f"{notice.given_by_organisation}: {notice.source}",
                    reason=notice.reason,
                    acting_user=SystemActor("agreement notices"),
                    organisation_id=notice.given_by_organisation_id,
                    extra=_notice_data(notice),
                )
                ended += 1
    return ended


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


# How far ahead an amendment may be dated: an amendment in the year 9999 would block every
# later one (versions follow each other in time).
AMENDMENT_HORIZON = dt.timedelta(days=5 * 366)


def merge_changes(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The terms with ``changes`` put in: objects merge key by key, anything else (a number,
    a list such as ``criteria``, ``null``) replaces the value. Keys not named stay as they
    are: ``{"quota": {"limit": 60}}`` changes the limit and nothing else."""
    merged = copy.deepcopy(dict(base))
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = merge_changes(current, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _latest_version(agreement: Agreement) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()


def _changed_terms(
    agreement: Agreement, changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(terms before, terms after) for ``changes`` on the latest version; refused naming the
    field under ``changes`` when the result is invalid or nothing changes."""
    if not isinstance(changes, Mapping) or not changes:
        raise ValidationFailed(
            N_("The amendment changes nothing. Name the settings that change, e.g. %(example)s."),
            params={"example": '{"quota": {"limit": 60}}'},
            errors=[{"loc": ["changes"], "msg": N_("at least one setting is required")}],
        )
    latest = _latest_version(agreement)
    before = latest.terms if latest is not None else agreement.terms
    try:
        parsed = AgreementTerms.model_validate(merge_changes(before, changes))
    except PydanticValidationError as exc:
        errors = [{"loc": ["changes", *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]
        raise ValidationFailed(N_("The amended terms would be invalid."), errors=errors) from None
    after = parsed.model_dump(mode="json")
    if not terms_diff(before, after):
        raise ValidationFailed(
            N_("The amendment changes nothing."),
            errors=[{"loc": ["changes"], "msg": N_("same as the latest version")}],
        )
    return before, after


def caps_below_use(agreement: Agreement, terms: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A cap lowered below the places already used, one error per cap, naming the use."""
    from readmit.agreements.selectors import quota_status
    from readmit.relocation.models import ReceptionStay

    parsed = AgreementTerms.model_validate(terms)
    errors: list[dict[str, Any]] = []
    quota = quota_status(agreement)
    if parsed.quota is not None and quota is not None and parsed.quota.limit < quota.used:
        errors.append(
            {
                "loc": ["changes", "quota", "limit"],
                "msg": f"cannot be below the {quota.used} places already used in the current "
                "period",
            }
        )
    stays = ReceptionStay.objects.filter(site__agreement=agreement)
    capacity = parsed.capacity
    if capacity is not None and capacity.max_present is not None:
        present = stays.filter(ended_at__isnull=True).count()
        if capacity.max_present < present:
            errors.append(
                {
                    "loc": ["changes", "capacity", "max_present"],
                    "msg": f"cannot be below the {present} people present now",
                }
            )
    if capacity is not None and capacity.max_per_year is not None:
        year = clock.now().year
        arrived = stays.filter(arrived_at__year=year).count()
        if capacity.max_per_year < arrived:
            errors.append(
                {
                    "loc": ["changes", "capacity", "max_per_year"],
                    "msg": f"cannot be below the {arrived} arrivals already in {year}",
                }
            )
    return errors


def _refuse_caps_below_use(agreement: Agreement, terms: Mapping[str, Any]) -> None:
    errors = caps_below_use(agreement, terms)
    if errors:
        raise ValidationFailed(
            N_("A cap cannot be lowered below the places already used: %(caps)s."),
            params={"caps": "; ".join(f"{'.'.join(e['loc'][1:])} {e['msg']}" for e in errors)},
            errors=errors,
        )


def _agreement_start(agreement: Agreement) -> dt.datetime:
    day = agreement.in_force_from or agreement.signed_on
    if day is None:
        return agreement.created_at
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _check_valid_from(agreement: Agreement, valid_from: dt.datetime) -> None:
    if valid_from.tzinfo is None or valid_from.utcoffset() is None:
        raise ValidationFailed(
            N_("valid_from needs a time zone."),
            errors=[{"loc": ["valid_from"], "msg": N_("must be timezone-aware")}],
        )
    start = _agreement_start(agreement)
    if valid_from < start:
        raise ValidationFailed(
            N_("valid_from %(valid_from)s is before the agreement's start (%(start)s)."),
            params={"valid_from": valid_from.isoformat(), "start": start.date().isoformat()},
            errors=[{"loc": ["valid_from"], "msg": f"cannot be before {start.date().isoformat()}"}],
        )
    horizon = clock.now() + AMENDMENT_HORIZON
    if valid_from > horizon:
        raise ValidationFailed(
            N_("valid_from %(valid_from)s is more than five years ahead."),
            params={"valid_from": valid_from.isoformat()},
            errors=[
                {"loc": ["valid_from"], "msg": f"cannot be after {horizon.date().isoformat()}"}
            ],
        )


def _not_ended(agreement: Agreement) -> None:
    if agreement.status == AgreementStatus.ENDED:
        raise TransitionRefused(
            N_("Agreement '%(agreement)s' has ended: its terms can no longer be amended."),
            params={"agreement": agreement.reference},
            rule="agreement-lifecycle",
        )


def _proposal_data(proposal: AmendmentProposal, **more: Any) -> dict[str, Any]:
    return {
        "proposal": str(proposal.id),
        "changes": proposal.changes,
        "valid_from": proposal.valid_from.isoformat(),
        "proposed_by": proposal.proposed_by_organisation.slug,
        **more,
    }


def amendment_propose(
    *,
    agreement: Agreement | uuid.UUID | str,
    changes: dict[str, Any],
    valid_from: dt.datetime,
    reason: str,
    source: str = "",
    acting_user: User,
) -> AmendmentProposal:
    """One party proposes to change the named settings; nothing is in force until the other
    party confirms (``amendment_confirm``).

    ``changes`` is a patch (``merge_changes``): keys it does not name are kept. The merged
    terms are validated now (and again at confirmation), a cap below the places already used
    is refused naming them, and ``valid_from`` must lie between the agreement's start and five
    years ahead.
    """
    found, organisation_id = _editable_agreement(
        acting_user,
        agreement,
        N_("Only a supervisor or an administrator of a party may propose an amendment."),
    )
    reason = _required_text(
        reason, "reason", N_("Say why the terms change (e.g. 'cap raised by mutual consent').")
    )
    _not_ended(found)
    _check_valid_from(found, valid_from)
    _, after = _changed_terms(found, changes)
    _refuse_caps_below_use(found, after)
    side = standing(acting_user, found).side
    assert organisation_id is not None and side is not None  # a party: the gate let it in
    with transaction.atomic():
        proposal = AmendmentProposal.objects.create(
            agreement=found,
            changes=changes,
            valid_from=valid_from,
            reason=reason,
            source=source.strip(),
            proposed_by_organisation_id=organisation_id,
            proposed_by_side=side.value,
            proposed_by=acting_user,
        )
        audit_record(
            event_type=AuditEventType.AMENDMENT_PROPOSED,
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=found.id,
            object_type="amendment_proposal",
            object_id=str(proposal.id),
            data=_proposal_data(proposal, reason=reason),
        )
    return proposal


# What each decision on a proposal is refused with (one whole sentence per verb).
_MAY_DECIDE = {
    "confirm": N_("Only a supervisor or an administrator of a party may confirm."),
    "reject": N_("Only a supervisor or an administrator of a party may reject."),
    "withdraw": N_("Only a supervisor or an administrator of a party may withdraw."),
}
_PENDING_ONLY = {
    "confirm": N_("This proposal is %(state)s: only a pending proposal can be confirmed."),
    "reject": N_("This proposal is %(state)s: only a pending proposal can be rejected."),
    "withdraw": N_("This proposal is %(state)s: only a pending proposal can be withdrawn."),
}
_OTHER_SIDE = {
    "confirm": N_("The other party confirms an amendment: the side that proposed it cannot."),
    "reject": N_("The other party rejects an amendment: the side that proposed it cannot."),
}


def _pending_proposal(
    acting_user: User, proposal: AmendmentProposal | uuid.UUID | str, what: str
) -> tuple[AmendmentProposal, Agreement, uuid.UUID | None, str | None]:
    """The pending proposal (locked), its agreement, and the caller's organisation and side."""
    proposal_id = proposal.id if isinstance(proposal, AmendmentProposal) else proposal
    try:
        found = AmendmentProposal.objects.select_related("agreement").get(id=proposal_id)
    except (AmendmentProposal.DoesNotExist, ValueError, DjangoValidationError):
        raise NotFound(N_("No such amendment proposal.")) from None
    agreement, organisation_id = _editable_agreement(
        acting_user, found.agreement, _MAY_DECIDE[what]
    )
    side = standing(acting_user, agreement).side
    locked = (
        AmendmentProposal.objects.select_for_update()
        .select_related("proposed_by_organisation")
        .get(id=found.id)
    )
    if locked.state != ProposalState.PENDING:
        raise TransitionRefused(
            _PENDING_ONLY[what],
            params={"state": Term(locked.state)},
            rule="amendment-not-pending",
        )
    return locked, agreement, organisation_id, side.value if side else None


def _other_side_only(proposal: AmendmentProposal, side: str | None, what: str) -> None:
    if side == proposal.proposed_by_side:
        raise Forbidden(_OTHER_SIDE[what], type="wrong-party")


def amendment_confirm(
    *, proposal: AmendmentProposal | uuid.UUID | str, acting_user: User
) -> AmendmentProposal:
    """The other party agrees: the changes become the next version of the terms, valid from
    the date proposed, or from now if that date has passed (never before the confirmation)."""
    with transaction.atomic():
        locked, agreement, organisation_id, side = _pending_proposal(
            acting_user, proposal, "confirm"
        )
        _other_side_only(locked, side, "confirm")
        agreement = Agreement.objects.select_for_update().get(id=agreement.id)
        _not_ended(agreement)
        before, after = _changed_terms(agreement, locked.changes)
        _refuse_caps_below_use(agreement, after)
        now = clock.now()
        valid_from = max(locked.valid_from, now)
        version = _version_record(
            agreement,
            before=before,
            after=after,
            valid_from=valid_from,
            reason=locked.reason,
            source=locked.source,
            acting_user=acting_user,
            organisation_id=organisation_id,
        )
        locked.state = ProposalState.CONFIRMED
        locked.decided_by = acting_user
        locked.decided_at = now
        locked.version = version
        locked.save(update_fields=["state", "decided_by", "decided_at", "version", "updated_at"])
        audit_record(
            event_type=AuditEventType.AMENDMENT_CONFIRMED,
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=agreement.id,
            object_type="amendment_proposal",
            object_id=str(locked.id),
            data=_proposal_data(
                locked, version=version.number, in_force_from=valid_from.isoformat()
            ),
        )
    return locked


def amendment_reject(
    *, proposal: AmendmentProposal | uuid.UUID | str, reason: str, acting_user: User
) -> AmendmentProposal:
    """The other party refuses the proposal, saying why; the terms stay as they are."""
    reason = _required_text(reason, "reason", N_("Say why the amendment is rejected."))
    return _close_proposal(proposal, ProposalState.REJECTED, reason, acting_user)


def amendment_withdraw(
    *, proposal: AmendmentProposal | uuid.UUID | str, reason: str = "", acting_user: User
) -> AmendmentProposal:
    """The proposing party takes its proposal back while it is pending."""
    return _close_proposal(proposal, ProposalState.WITHDRAWN, reason.strip(), acting_user)


def _close_proposal(
    proposal: AmendmentProposal | uuid.UUID | str, state: str, reason: str, acting_user: User
) -> AmendmentProposal:
    verb = "reject" if state == ProposalState.REJECTED else "withdraw"
    with transaction.atomic():
        locked, agreement, organisation_id, side = _pending_proposal(acting_user, proposal, verb)
        if state == ProposalState.REJECTED:
            _other_side_only(locked, side, "reject")
        elif side != locked.proposed_by_side:
            raise Forbidden(
                N_(
                    "Only the party that proposed an amendment withdraws it; the other party "
                    "rejects it."
                ),
                type="wrong-party",
            )
        locked.state = state
        locked.decided_by = acting_user
        locked.decided_at = clock.now()
        locked.decision_reason = reason
        locked.save(
            update_fields=["state", "decided_by", "decided_at", "decision_reason", "updated_at"]
        )
        audit_record(
            event_type=(
                AuditEventType.AMENDMENT_REJECTED
                if state == ProposalState.REJECTED
                else AuditEventType.AMENDMENT_WITHDRAWN
            ),
            acting_user=acting_user,
            organisation_id=organisation_id,
            agreement_id=agreement.id,
            object_type="amendment_proposal",
            object_id=str(locked.id),
            data=_proposal_data(locked, reason=reason),
        )
    return locked


def _version_record(
    agreement: Agreement,
    *,
    before: Mapping[str, Any],
    after: dict[str, Any],
    valid_from: dt.datetime,
    reason: str,
    source: str,
    acting_user: Actor,
    organisation_id: uuid.UUID | None,
) -> AgreementVersion:
    """The next version (inside the caller's transaction, agreement row locked). It becomes
    ``Agreement.terms`` at once when ``valid_from`` is not in the future; otherwise
    ``agreement_terms_refresh`` promotes it when its time comes. Versions follow each other
    in time: ``valid_from`` may not precede the latest version's."""
    latest = _latest_version(agreement)
    if latest is not None and valid_from < latest.valid_from:
        raise ValidationFailed(
            N_(
                "Version %(number)s is valid from %(valid_from)s; an amendment cannot take "
                "effect before it."
            ),
            params={"number": latest.number, "valid_from": latest.valid_from.isoformat()},
            errors=[
                {"loc": ["valid_from"], "msg": f"cannot be before {latest.valid_from.isoformat()}"}
            ],
        )
    diff = terms_diff(before, after)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1 if latest is not None else 1),
        terms=after,
        valid_from=valid_from,
        reason=reason,
        source=source,
        recorded_by=person_of(acting_user),
    )
    current = valid_from <= clock.now()
    if current:
        agreement.terms = after
        agreement.save(update_fields=["terms", "updated_at"])
    audit_record(
        event_type=AuditEventType.AGREEMENT_SETTINGS_CHANGED,
        acting_user=acting_user,
        organisation_id=organisation_id,
        agreement_id=agreement.id,
        object_type="agreement_version",
        object_id=str(version.id),
        data={
            "version": version.number,
            "valid_from": valid_from.isoformat(),
            "current": current,
            "changes": diff,
            "summary": f"{diff_summary(diff)}: {reason}",
            "reason": reason,
            "source": source,
        },
    )
    return version


def agreement_terms_refresh(*, agreement: Agreement, acting_user: Actor) -> bool:
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


def agreement_terms_refresh_due(*, acting_user: Actor) -> int:
    """Refresh every agreement (there are tens, not thousands); how many changed."""
    return sum(
        agreement_terms_refresh(agreement=a, acting_user=acting_user)
        for a in Agreement.objects.only("id", "terms").iterator()
    )
