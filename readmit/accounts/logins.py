"""Throttled logins, the second factor and its reset: the rules behind the login pages.

- Throttling: failures are counted per typed username and per client address
  (``readmit.accounts.lockout`` decides); a locked key is refused before any password check.
- Second factor: every user has a TOTP device (django-otp), enrolled at first login, and
  recovery codes (a static device, each code works once).
- An administrator of a user's organisation unlocks the account and resets the second
  factor; another organisation's administrator is told the user does not exist (404), a
  member without the role is refused (403). Everything is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from readmit.accounts.access import memberships, organisation_ids
from readmit.accounts.lockout import locked_until
from readmit.accounts.models import LoginFailure, Membership, User
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.errors import N_, Forbidden, NotFound, ValidationFailed

LOCKED_MESSAGE = (
    "Too many failed attempts. Try again later, or ask your organisation's administrator "
    "to unlock the account."
)
BUSY_MESSAGE = "The server is checking too many logins at once. Try again in a moment."
RECOVERY_CODES = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
# Only what an operator needs to spot guessing; never the password, never whether it existed.
_MAX_RECORDED_USERNAME = 150


def username_key(username: str) -> str:
    return username.strip().lower()[:150]


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.READMIT_LOGIN_FAILURE_WINDOW_SECONDS))


def _home_organisation_id(user: User) -> uuid.UUID | None:
    rows = memberships(user)
    return rows[0].organisation_id if rows else None


# Throttling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    scope: str  # "account" or "address"
    until: dt.datetime


def login_lock(*, username: str, address: str) -> Lock | None:
    """The lock that refuses this attempt, if any (the account's first, then the address's)."""
    now = clock.now()
    since = now - _window()
    key = username_key(username)
    account = locked_until(
        LoginFailure.objects.filter(
            username=key, at__gt=since, account_cleared_at__isnull=True
        ).values_list("at", flat=True),
        now=now,
        limit=int(settings.READMIT_LOGIN_ACCOUNT_FAILURE_LIMIT),
        window=_window(),
    )
    if account is not None:
        return Lock("account", account)
    if address:
        by_address = locked_until(
            LoginFailure.objects.filter(address=address, at__gt=since).values_list("at", flat=True),
            now=now,
            limit=int(settings.READMIT_LOGIN_ADDRESS_FAILURE_LIMIT),
            window=_window(),
        )
        if by_address is not None:
            return Lock("address", by_address)
    return None


def login_failure_record(*, username: str, address: str) -> None:
    LoginFailure.objects.create(username=username_key(username), address=address, at=clock.now())


def login_refused_audit(
    *, event_type: AuditEventType, username: str, client: dict[str, str], scope: str = ""
) -> None:
    with transaction.atomic():
        audit_record(
            event_type=event_type,
            acting_user=None,
            object_type="login",
            data={
                "username": username_key(username),
                **client,
                **({"scope": scope} if scope else {}),
            },
        )


def _user_event(
    event_type: AuditEventType, *, user: User, client: dict[str, str], **data: Any
) -> None:
    with transaction.atomic():
        audit_record(
            event_type=event_type,
            acting_user=user,
            organisation_id=_home_organisation_id(user),
            object_type="user",
            object_id=str(user.pk),
            data={**data, **client},
        )


def login_password_accepted_audit(*, user: User, client: dict[str, str]) -> None:
    """The password step passed; the second factor is still to come."""
    _user_event(AuditEventType.LOGIN_PASSWORD_ACCEPTED, user=user, client=client)


def login_audit(*, user: User, client: dict[str, str], factor: str, next_url: str = "") -> None:
    """A complete login (password and second factor). A login bound for the admin site
    says so (``next``) and whether the user is staff: admin logins are audited like any."""
    _user_event(
        AuditEventType.USER_LOGGED_IN,
        user=user,
        client=client,
        factor=factor,
        next=next_url[:200],
        staff=user.is_staff,
    )


def logout_audit(*, user: User, client: dict[str, str]) -> None:
    _user_event(AuditEventType.USER_LOGGED_OUT, user=user, client=client)


def session_expired_audit(*, user: User, client: dict[str, str], reason: str) -> None:
    _user_event(AuditEventType.SESSION_EXPIRED, user=user, client=client, reason=reason)


def login_failed_audit(*, username: str, client: dict[str, str]) -> None:
    """A wrong password or an unknown name: the name as typed (never whether it exists)."""
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.USER_LOGIN_FAILED,
            acting_user=None,
            object_type="login",
            data={"username": username[:_MAX_RECORDED_USERNAME], **client},
        )


def accounts_locked_until(users: Iterable[User]) -> dict[int, dt.datetime]:
    """The locked accounts among ``users`` and until when, in one query (the users page)."""
    now = clock.now()
    keys = {username_key(u.username): u.pk for u in users}
    failures: dict[str, list[dt.datetime]] = {}
    for key, at in LoginFailure.objects.filter(
        username__in=keys, at__gt=now - _window(), account_cleared_at__isnull=True
    ).values_list("username", "at"):
        failures.setdefault(key, []).append(at)
    limit = int(settings.READMIT_LOGIN_ACCOUNT_FAILURE_LIMIT)
    locked = {
        keys[key]: locked_until(times, now=now, limit=limit, window=_window())
        for key, times in failures.items()
    }
    return {pk: until for pk, until in locked.items() if until is not None}


# The administrator's gate ----------------------------------------------------------------


def administered_organisation(target: User, acting_user: User, *, refusal: str) -> uuid.UUID:
    """The organisation through which ``acting_user`` administers ``target``; ``refusal`` is
    the marked sentence that refuses anyone else."""
    target_orgs = set(
        Membership.objects.filter(user=target).values_list("organisation_id", flat=True)
    )
    if not target_orgs & organisation_ids(acting_user):
        raise NotFound(N_("No such user."))
    admin_of = target_orgs & organisation_ids(acting_user, roles=frozenset({Role.ADMINISTRATOR}))
    if not admin_of:
        raise Forbidden(refusal)
    return sorted(admin_of)[0]


def user_for_administrator(*, user_id: int | str, acting_user: User) -> User:
    """A user the caller shares an organisation with; anyone else answers 404."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        raise NotFound(N_("No such user.")) from None
    user = (
        User.objects.filter(pk=pk, memberships__organisation_id__in=organisation_ids(acting_user))
        .distinct()
        .first()
    )
    if user is None:
        raise NotFound(N_("No such user."))
    return user


def login_unlock(*, user: User, acting_user: User) -> int:
    """Clear the account's counted failures (audited); answers how many were cleared."""
    organisation_id = administered_organisation(
        user,
        acting_user,
        refusal=N_("Only an administrator of the user's organisation unlocks an account."),
    )
    with transaction.atomic():
        cleared = LoginFailure.objects.filter(
            username=username_key(user.username), account_cleared_at__isnull=True
        ).update(account_cleared_at=clock.now())
        audit_record(
            event_type=AuditEventType.LOGIN_UNLOCKED,
            acting_user=acting_user,
            organisation_id=organisation_id,
            object_type="user",
            object_id=str(user.pk),
            data={"failures_cleared": cleared},
        )
    return cleared


# Second factor ---------------------------------------------------------------------------


def has_second_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device a user enrols (made on first visit, kept until confirmed).

    Refused once the user has a confirmed one: only an administrator's reset starts over.
    """
    if has_second_factor(user):
        raise Forbidden(N_("A second factor is already enrolled; your administrator can reset it."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _token_error(message: str, msg: str) -> ValidationFailed:
    """A refused code: ``message`` the whole marked sentence, ``msg`` the field's."""
    return ValidationFailed(message, errors=[{"loc": ["token"], "msg": msg}])


def _clean_token(token: str) -> str:
    return "".join(token.split()).lower()


def second_factor_enrol(
    *, user: User, token: str, client: dict[str, str]
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the enrolment with a code from the app; answers the device and the recovery
    codes (shown once: only the device holds them, and each is deleted when used)."""
    device = enrolment_device(user)
    if not device.verify_token(_clean_token(token)):
        second_factor_failed_audit(user=user, client=client)
        raise _token_error(
            N_("token: The code does not match. Check the time on your device and retry."),
            N_("The code does not match. Check the time on your device and retry."),
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_record(
            event_type=AuditEventType.SECOND_FACTOR_ENROLLED,
            acting_user=user,
            organisation_id=_home_organisation_id(user),
            object_type="user",
            object_id=str(user.pk),
            data={"recovery_codes": len(codes), **client},
        )
    return device, codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_failed_audit(*, user: User, client: dict[str, str]) -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.SECOND_FACTOR_FAILED,
            acting_user=user,
            organisation_id=_home_organisation_id(user),
            object_type="user",
            object_id=str(user.pk),
            data=client,
        )


def second_factor_verify(
    *, user: User, token: str, client: dict[str, str]
) -> TOTPDevice | StaticDevice:
    """The device that accepts this code (a TOTP code, or a recovery code, used up)."""
    token = _clean_token(token)
    for totp in TOTPDevice.objects.filter(user=user, confirmed=True):
        if totp.verify_is_allowed()[0] and totp.verify_token(token):
            return totp
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            with transaction.atomic():
                audit_record(
                    event_type=AuditEventType.RECOVERY_CODE_USED,
                    acting_user=user,
                    organisation_id=_home_organisation_id(user),
                    object_type="user",
                    object_id=str(user.pk),
                    data={"recovery_codes_left": static.token_set.count(), **client},
                )
            return static
    second_factor_failed_audit(user=user, client=client)
    raise _token_error(N_("token: The code does not match."), N_("The code does not match."))


def second_factor_reset(*, user: User, acting_user: User) -> None:
    """Remove the user's second factor and recovery codes; they enrol again at next login."""
    organisation_id = administered_organisation(
        user,
        acting_user,
        refusal=N_("Only an administrator of the user's organisation resets a second factor."),
    )
    with transaction.atomic():
        totp = TOTPDevice.objects.filter(user=user).delete()[0]
        static = StaticDevice.objects.filter(user=user).delete()[0]
        audit_record(
            event_type=AuditEventType.SECOND_FACTOR_RESET,
            acting_user=acting_user,
            organisation_id=organisation_id,
            object_type="user",
            object_id=str(user.pk),
            data={"devices_removed": totp + static},
        )


def second_factor_install(*, user: User, key: bytes, recovery_codes: int = 0) -> TOTPDevice:
    """A confirmed TOTP device with a known key, for the demo's published logins and the
    test world (both fictional); real users enrol their own at first login. Audited."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=key.hex(), confirmed=True
        )
        codes = _recovery_codes_replace(user)[:recovery_codes] if recovery_codes else []
        if not codes:
            StaticDevice.objects.filter(user=user).delete()
        else:
            StaticToken.objects.filter(device__user=user).exclude(token__in=codes).delete()
        audit_record(
            event_type=AuditEventType.SECOND_FACTOR_ENROLLED,
            acting_user=SystemActor("demo loader"),
            organisation_id=_home_organisation_id(user),
            object_type="user",
            object_id=str(user.pk),
            data={"installed": True, "recovery_codes": len(codes)},
        )
    return device
