"""Writes on organisations, users, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from readmit.accounts.access import roles_in
from readmit.accounts.models import ApiToken, Membership, Organisation, User
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.errors import Forbidden, NotFound, ValidationFailed
from readmit.core.zones import ZoneError, country_zone, zone

TOKEN_PREFIX = "rdm_"


def organisation_create(
    *,
    name: str,
    slug: str,
    country_code: str,
    kind: str = "ministry",
    parent: Organisation | None = None,
    time_zone: str = "",
    acting_user: User | None,
) -> Organisation:
    """``time_zone`` empty: the country's own zone where it has one (else UTC)."""
    time_zone = _valid_zone(time_zone) if time_zone else country_zone(country_code)
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            slug=slug,
            country_id=country_code,
            kind=kind,
            parent=parent,
            time_zone=time_zone,
        )
        audit_record(
            event_type=AuditEventType.ORGANISATION_CREATED,
            acting_user=acting_user,
            organisation_id=org.id,
            object_type="organisation",
            object_id=str(org.id),
            data={"slug": slug, "country": country_code, "time_zone": time_zone},
        )
    return org


def _valid_zone(name: str) -> str:
    try:
        return zone(name).key
    except ZoneError as exc:
        raise ValidationFailed(
            f"time_zone: {exc}.", errors=[{"loc": ["time_zone"], "msg": str(exc)}]
        ) from None


def organisation_set_time_zone(
    *, organisation: Organisation, time_zone: str, acting_user: User
) -> Organisation:
    """An administrator of the organisation sets its zone; nobody else (audited)."""
    roles = roles_in(acting_user, organisation.id)
    if not roles:
        raise NotFound("No such organisation.")
    if Role.ADMINISTRATOR not in roles:
        raise Forbidden("Only an administrator of the organisation sets its time zone.")
    name = _valid_zone(time_zone)
    with transaction.atomic():
        old = organisation.time_zone
        organisation.time_zone = name
        organisation.save(update_fields=["time_zone", "updated_at"])
        audit_record(
            event_type=AuditEventType.ORGANISATION_TIME_ZONE_CHANGED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            object_type="organisation",
            object_id=str(organisation.id),
            data={"from": old, "to": name},
        )
    return organisation


def user_set_time_zone(*, user: User, time_zone: str, acting_user: User) -> User:
    """A user sets their own zone (empty: their organisation's), nobody else's (audited)."""
    if acting_user.pk != user.pk:
        raise Forbidden("A user sets only their own time zone.")
    name = _valid_zone(time_zone) if time_zone.strip() else ""
    with transaction.atomic():
        old = user.time_zone
        user.time_zone = name
        user.save(update_fields=["time_zone"])
        audit_record(
            event_type=AuditEventType.USER_TIME_ZONE_CHANGED,
            acting_user=acting_user,
            object_type="user",
            object_id=str(user.pk),
            data={"from": old, "to": name},
        )
    return user


def user_create(
    *,
    username: str,
    password: str | None,
    organisation: Organisation,
    roles: list[Role],
    display_name: str = "",
    email: str = "",
    acting_user: User | None,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, email=email, display_name=display_name
        )
        audit_record(
            event_type=AuditEventType.USER_CREATED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            object_type="user",
            object_id=str(user.pk),
            data={"username": username},
        )
        for role in roles:
            membership_create(
                user=user, organisation=organisation, role=role, acting_user=acting_user
            )
    return user


def membership_create(
    *, user: User, organisation: Organisation, role: Role, acting_user: User | None
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.create(
            user=user, organisation=organisation, role=role.value
        )
        audit_record(
            event_type=AuditEventType.MEMBERSHIP_CREATED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            object_type="membership",
            object_id=str(membership.id),
            data={"username": user.username, "role": role.value},
        )
    return membership


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str = "", acting_user: User | None) -> tuple[ApiToken, str]:
    """A new bearer token: answers the row and the token itself, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[:12], digest=_digest(secret)
        )
        audit_record(
            event_type=AuditEventType.API_TOKEN_CREATED,
            acting_user=acting_user,
            object_type="api_token",
            object_id=str(token.id),
            data={"username": user.username, "prefix": token.prefix, "name": name},
        )
    return token, secret


def token_revoke(*, token: ApiToken, acting_user: User | None) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(id=token.id).update(revoked_at=clock.now())
        audit_record(
            event_type=AuditEventType.API_TOKEN_REVOKED,
            acting_user=acting_user,
            object_type="api_token",
            object_id=str(token.id),
            data={"prefix": token.prefix},
        )


def token_authenticate(secret: str) -> User | None:
    """The active user a bearer token belongs to, or None. Compares digests only."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
    return token.user
