"""Writes on organisations, users, memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from readmit.accounts.access import roles_in
from readmit.accounts.actors import Actor
from readmit.accounts.models import ApiToken, Membership, Organisation, User
from readmit.accounts.roles import Role
from readmit.accounts.scopes import DEFAULT_SCOPES, UnknownScope, parse_scopes
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.actors import SystemAction, acts_as_system
from readmit.core.errors import N_, Forbidden, NotFound, ValidationFailed
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
    acting_user: Actor,
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
            N_("time_zone: %(problem)s."),
            params={"problem": str(exc)},
            errors=[{"loc": ["time_zone"], "msg": str(exc)}],
        ) from None


def organisation_set_time_zone(
    *, organisation: Organisation, time_zone: str, acting_user: User
) -> Organisation:
    """An administrator of the organisation sets its zone; nobody else (audited)."""
    roles = roles_in(acting_user, organisation.id)
    if not roles:
        raise NotFound(N_("No such organisation."))
    if Role.ADMINISTRATOR not in roles:
        raise Forbidden(N_("Only an administrator of the organisation sets its time zone."))
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
        raise Forbidden(N_("A user sets only their own time zone."))
    name = _valid_zone(time_zone) if time_zone.strip() else ""
    return _user_preference_set(user, "time_zone", name, AuditEventType.USER_TIME_ZONE_CHANGED)


def user_set_language(*, user: User, language: str, acting_user: User) -> User:
    """A user chooses their own interface language (empty: the browser's), nobody else's
    (audited). Only the languages the interface is offered in (``settings.LANGUAGES``)."""
    if acting_user.pk != user.pk:
        raise Forbidden(N_("A user sets only their own language."))
    code = language.strip().lower()
    offered = {c for c, _name in settings.LANGUAGES}
    if code and code not in offered:
        known = {"languages": ", ".join(sorted(offered))}
        raise ValidationFailed(
            N_("language: not a language of the interface (one of %(languages)s)."),
            params=known,
            errors=[
                {
                    "loc": ["language"],
                    "msg": N_("not a language of the interface (one of %(languages)s)") % known,
                }
            ],
        )
    return _user_preference_set(user, "language", code, AuditEventType.USER_LANGUAGE_CHANGED)


def _user_preference_set(user: User, field: str, value: str, event_type: AuditEventType) -> User:
    """Save one of the user's own preferences and audit the change from and to (the callers
    checked that the user is the one acting and that the value is valid)."""
    with transaction.atomic():
        old = getattr(user, field)
        setattr(user, field, value)
        user.save(update_fields=[field])
        audit_record(
            event_type=event_type,
            acting_user=user,
            object_type="user",
            object_id=str(user.pk),
            data={"from": old, "to": value},
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
    acting_user: Actor,
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
    *, user: User, organisation: Organisation, role: Role, acting_user: Actor
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


def _token_lifetime(expires_days: int | None) -> dt.timedelta:
    days = settings.READMIT_TOKEN_DEFAULT_DAYS if expires_days is None else expires_days
    longest = settings.READMIT_TOKEN_MAX_DAYS
    if not 1 <= days <= longest:
        raise ValidationFailed(
            N_("expires_days: a token lives from 1 to %(longest)s days, not %(days)s."),
            params={"longest": longest, "days": days},
            errors=[
                {
                    "loc": ["expires_days"],
                    "msg": N_("must be from 1 to %(longest)s") % {"longest": longest},
                }
            ],
        )
    return dt.timedelta(days=days)


def _token_scopes(scopes: Iterable[str] | None) -> list[str]:
    if scopes is None:
        return list(DEFAULT_SCOPES)
    try:
        parsed = parse_scopes(scopes)
    except UnknownScope as exc:
        raise ValidationFailed(
            N_("scopes: %(problem)s."),
            params={"problem": str(exc)},
            errors=[{"loc": ["scopes"], "msg": str(exc)}],
        ) from None
    if not parsed:
        raise ValidationFailed(
            N_("scopes: a token needs at least one scope."),
            errors=[{"loc": ["scopes"], "msg": N_("at least one scope")}],
        )
    return list(parsed)


def token_create(
    *,
    user: User,
    name: str = "",
    scopes: Iterable[str] | None = None,
    expires_days: int | None = None,
    acting_user: Actor,
    replaces: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new bearer token: answers the row and the token itself, which is never stored.

    ``scopes`` None: every scope (``read write``); ``expires_days`` None: the default
    lifetime (``READMIT_TOKEN_DEFAULT_DAYS``), never longer than ``READMIT_TOKEN_MAX_DAYS``.
    """
    granted = _token_scopes(scopes)
    lifetime = _token_lifetime(expires_days)
    if not user.is_active:
        raise ValidationFailed(
            N_("user: a deactivated user gets no token."),
            errors=[{"loc": ["user"], "msg": N_("deactivated")}],
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:12],
            digest=_digest(secret),
            scopes=granted,
            expires_at=clock.now() + lifetime,
            replaces=replaces,
        )
        audit_record(
            event_type=AuditEventType.API_TOKEN_CREATED,
            acting_user=acting_user,
            object_type="api_token",
            object_id=str(token.id),
            data={
                "username": user.username,
                "prefix": token.prefix,
                "name": name,
                "scopes": granted,
                "expires_at": token.expires_at.isoformat(),
            },
        )
    return token, secret


def _token_gate(token: ApiToken, acting_user: Actor, verb: str) -> None:
    """The token's own user, or an administrator of one of its user's organisations; the
    command line may too. Others of those organisations get 403, everybody else 404 (as if
    it did not exist)."""
    action = SystemAction.TOKEN_REVOKE if verb == "revoke" else SystemAction.TOKEN_ROTATE
    if acts_as_system(acting_user, action) or acting_user.pk == token.user_id:
        return
    shared = set(
        Membership.objects.filter(user_id=token.user_id).values_list("organisation_id", flat=True)
    ) & set(Membership.objects.filter(user=acting_user).values_list("organisation_id", flat=True))
    if not shared:
        raise NotFound(N_("No such token."))
    if not any(Role.ADMINISTRATOR in roles_in(acting_user, org) for org in shared):
        refusal = (
            N_("Only the token's user or an administrator of their organisation revokes it.")
            if verb == "revoke"
            else N_("Only the token's user or an administrator of their organisation rotates it.")
        )
        raise Forbidden(refusal, type="wrong-role")


def token_revoke(*, token: ApiToken, acting_user: Actor) -> None:
    """Stops the token at once (audited). Its user, their organisation's administrator, or
    the command line (``readmit token revoke PREFIX``)."""
    _token_gate(token, acting_user, "revoke")
    with transaction.atomic():
        ApiToken.objects.filter(id=token.id, revoked_at__isnull=True).update(revoked_at=clock.now())
        audit_record(
            event_type=AuditEventType.API_TOKEN_REVOKED,
            acting_user=acting_user,
            object_type="api_token",
            object_id=str(token.id),
            data={"prefix": token.prefix, "username": token.user.username},
        )


def token_rotate(
    *, token: ApiToken, acting_user: Actor, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """Rotation without downtime: a new token with the same name and scopes, while the old
    one keeps working until it expires or is revoked. Only the token's user (or the command
    line) rotates it: the new secret is shown to whoever rotates."""
    if (
        not acts_as_system(acting_user, SystemAction.TOKEN_ROTATE)
        and acting_user.pk != token.user_id
    ):
        _token_gate(token, acting_user, "rotate")
        raise Forbidden(N_("Only the token's own user rotates it."), type="wrong-role")
    if not token_is_live(token):
        raise ValidationFailed(
            N_("token: a revoked or expired token is not rotated; create a new one."),
            errors=[{"loc": ["token"], "msg": N_("revoked or expired")}],
        )
    with transaction.atomic():
        new, secret = token_create(
            user=token.user,
            name=token.name,
            scopes=token.scopes,
            expires_days=expires_days,
            acting_user=acting_user,
            replaces=token,
        )
        audit_record(
            event_type=AuditEventType.API_TOKEN_ROTATED,
            acting_user=acting_user,
            object_type="api_token",
            object_id=str(token.id),
            data={"prefix": token.prefix, "new_prefix": new.prefix},
        )
    return new, secret


def token_is_live(token: ApiToken) -> bool:
    return token.revoked_at is None and token.expires_at > clock.now() and token.user.is_active


def token_resolve(secret: str) -> ApiToken | None:
    """The live token a bearer secret names (not revoked, not expired, its user active), or
    None. Compares digests only; records the last use (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
    return token
