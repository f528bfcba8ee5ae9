"""An organisation's administrators manage its users: invite, deactivate and reactivate,
change a member's role. Every change is audited (who, whom, from, to) in its transaction.

The gates are those of the users page (``readmit.accounts.logins``): a user the caller
shares no organisation with answers 404, as if absent; a member who is not an administrator
of the organisation is refused (403). Two rules keep an organisation administrable: an
administrator never deactivates themselves (``own-account``) and nobody removes the last
active administrator of an organisation (``last-administrator``).

An invitation is a user without a usable password and a signed link (``invitation_token``)
that expires after ``INVITATION_DAYS`` and works once: it is bound to the password hash the
user has now, so setting a password (or a newer invitation, or a deactivation) ends it. The
invitee chooses a password (Django's validators) and enrols the second factor at their first
login, as every new user does.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from readmit.accounts.access import organisation_ids, roles_in
from readmit.accounts.logins import administered_organisation
from readmit.accounts.models import Membership, Organisation, User
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.errors import N_, Forbidden, NotFound, TransitionRefused, ValidationFailed

log = logging.getLogger(__name__)

INVITATION_DAYS = 7
_INVITATION_SALT = "readmit.accounts.invitation"
INVALID_INVITATION = (
    "This invitation link is not valid: it has expired, was already used, or a newer "
    "invitation replaced it. Ask your organisation's administrator for a new one."
)


def _field_error(field: str, message: str, msg: str, **params: str) -> ValidationFailed:
    """A refusal of one field: ``message`` the whole marked sentence (``field: ...``), ``msg``
    the field's own marked message, both with the same ``params``."""
    return ValidationFailed(
        message, params=params, errors=[{"loc": [field], "msg": msg % params if params else msg}]
    )


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise _field_error(
            "role",
            N_("role: not a role (one of %(roles)s)"),
            N_("not a role (one of %(roles)s)"),
            roles=roles,
        ) from None


# The gates ------------------------------------------------------------------------------


def organisation_for_administrator(
    *, organisation_id: uuid.UUID | str, acting_user: User
) -> Organisation:
    """The organisation, if the caller administers it: a member without the role is refused
    (403), anyone else is told it does not exist (404)."""
    try:
        pk = uuid.UUID(str(organisation_id))
    except ValueError:
        raise NotFound(N_("No such organisation.")) from None
    if pk not in organisation_ids(acting_user):
        raise NotFound(N_("No such organisation."))
    if Role.ADMINISTRATOR not in roles_in(acting_user, pk):
        raise Forbidden(N_("Only an administrator of the organisation manages its users."))
    return Organisation.objects.get(id=pk)


def _member_of(organisation: Organisation, user_id: int | str) -> User:
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        raise NotFound(N_("No such user.")) from None
    user = User.objects.filter(pk=pk, memberships__organisation=organisation).first()
    if user is None:
        raise NotFound(N_("No such user."))
    return user


def member_for_administrator(
    *, organisation_id: uuid.UUID | str, user_id: int | str, acting_user: User
) -> tuple[Organisation, User]:
    """A member of an organisation the caller administers (404 for anyone else)."""
    organisation = organisation_for_administrator(
        organisation_id=organisation_id, acting_user=acting_user
    )
    return organisation, _member_of(organisation, user_id)


def _other_active_administrators(organisation_id: uuid.UUID, user: User) -> bool:
    """Another administrator who can log in (active, with a password: a pending invitation
    is not one yet). Called inside the change's transaction: the organisation's
    administrator memberships are locked, so two administrators demoting or deactivating
    each other at once cannot both pass."""
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=organisation_id, role=Role.ADMINISTRATOR)
        .select_related("user")
    )
    return any(
        m.user_id != user.pk and m.user.is_active and m.user.has_usable_password() for m in admins
    )


def _last_administrator(user: User, organisation_ids_: set[uuid.UUID]) -> Organisation | None:
    """The first of these organisations whose only active administrator is ``user``."""
    held = Membership.objects.filter(
        user=user, role=Role.ADMINISTRATOR, organisation_id__in=organisation_ids_
    ).select_related("organisation")
    for membership in held:
        if not _other_active_administrators(membership.organisation_id, user):
            return membership.organisation
    return None


def _last_administrator_refusal(user: User, organisation: Organisation) -> TransitionRefused:
    return TransitionRefused(
        N_(
            "%(user)s is the last active administrator of %(organisation)s: make another "
            "member an administrator first."
        ),
        params={"user": user.username, "organisation": organisation.name},
        rule="last-administrator",
    )


def _administers_every_organisation_of(user: User, acting_user: User) -> None:
    """Whether an account is active is one switch for all its organisations: only an
    administrator of each of them turns it (else one organisation's administrator could
    undo another's deactivation, or lock a member out of an organisation they do not run)."""
    target_orgs = set(
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
    administered = organisation_ids(acting_user, roles=frozenset({Role.ADMINISTRATOR}))
    if target_orgs - administered:
        raise TransitionRefused(
            N_(
                "%(user)s is also a member of an organisation you do not administer: only an "
                "administrator of each of their organisations deactivates or reactivates the "
                "account."
            ),
            params={"user": user.username},
            rule="other-organisations",
        )


def _forget_memberships(user: User) -> None:
    if hasattr(user, "_readmit_memberships"):
        del user._readmit_memberships


# The users list -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    user: User
    roles: tuple[Role, ...]
    status: str  # "active", "invited" or "deactivated"
    second_factor: bool
    last_login: dt.datetime | None


def user_status(user: User) -> str:
    if not user.is_active:
        return "deactivated"
    return "active" if user.has_usable_password() else "invited"


def organisation_members(organisation: Organisation) -> list[MemberRow]:
    """The organisation's users with their roles in it, status, second factor and last
    login (three queries whatever the number of users)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    roles: dict[int, list[Role]] = {}
    for user_id, role in Membership.objects.filter(organisation=organisation).values_list(
        "user_id", "role"
    ):
        roles.setdefault(user_id, []).append(Role(role))
    users = list(User.objects.filter(pk__in=roles).order_by("username"))
    enrolled = set(
        TOTPDevice.objects.filter(user_id__in=roles, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        MemberRow(
            user=u,
            roles=tuple(sorted(roles[u.pk], key=list(Role).index)),
            status=user_status(u),
            second_factor=u.pk in enrolled,
            last_login=u.last_login,
        )
        for u in users
    ]


# Invitations ----------------------------------------------------------------------------


def _fingerprint(user: User) -> str:
    """Changes when the user's password is set (or replaced by a newer invitation's) or they
    are deactivated: the link made before stops working."""
    value = f"{user.pk}:{user.password}:{user.is_active}"
    return salted_hmac(_INVITATION_SALT, value).hexdigest()[:32]


def invitation_token(user: User) -> str:
    issued = int(clock.now().timestamp())
    return signing.dumps(
        {"u": user.pk, "h": _fingerprint(user), "t": issued}, salt=_INVITATION_SALT
    )


def invitation_user(token: str) -> User:
    """The invited user a link names, while it is valid (else ``TransitionRefused`` with
    rule ``invitation-invalid``: expired, used, replaced, or not ours)."""
    refused = TransitionRefused(INVALID_INVITATION, rule="invitation-invalid")
    try:
        payload = signing.loads(token, salt=_INVITATION_SALT)
        user_id, fingerprint, issued = int(payload["u"]), str(payload["h"]), int(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise refused from None
    age = clock.now().timestamp() - issued
    if not 0 <= age <= INVITATION_DAYS * 86400:
        raise refused
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        raise refused
    if not constant_time_compare(fingerprint, _fingerprint(user)):
        raise refused
    return user


def _invitation_send(
    user: User, organisation: Organisation, link_for: Callable[[str], str]
) -> None:
    link = link_for(invitation_token(user))
    subject = f"Readmit: an account for you at {organisation.name}"
    body = (
        f"{organisation.name} invites you to Readmit as {user.username}.\n\n"
        f"Choose your password here (the link works once, for {INVITATION_DAYS} days):\n"
        f"{link}\n\n"
        "At your first login you then set up a second factor (an authenticator app).\n"
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError:
        log.exception("invitation e-mail to user %s not sent", user.pk)
        raise TransitionRefused(
            N_("The invitation is recorded but the e-mail could not be sent: send it again."),
            rule="mail-not-sent",
        ) from None


def user_invite(
    *,
    organisation_id: uuid.UUID | str,
    username: str,
    email: str,
    role: str,
    display_name: str = "",
    acting_user: User,
    link_for: Callable[[str], str],
) -> User:
    """A new user of the administrator's organisation, with one role and no usable password;
    an e-mail carries the link (``link_for(token)``) where they choose one. Audited."""
    organisation = organisation_for_administrator(
        organisation_id=organisation_id, acting_user=acting_user
    )
    username = username.strip()
    email = email.strip()
    granted = _role(role)
    if not username:
        raise _field_error(
            "username", N_("username: a login name is required"), N_("a login name is required")
        )
    try:
        User.username_validator(username)
    except ValidationError as exc:
        problem = " ".join(exc.messages)  # Django's own, in the active language
        raise _field_error(
            "username", N_("username: %(problem)s"), N_("%(problem)s"), problem=problem
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise _field_error(
            "username", N_("username: this login name is taken"), N_("this login name is taken")
        )
    try:
        validate_email(email)
    except ValidationError:
        raise _field_error(
            "email",
            N_("email: an e-mail address is required, e.g. name@example.org"),
            N_("an e-mail address is required, e.g. name@example.org"),
        ) from None
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=None, email=email, display_name=display_name.strip()
        )
        Membership.objects.create(user=user, organisation=organisation, role=granted.value)
        _user_audit(
            AuditEventType.USER_INVITED,
            user=user,
            acting_user=acting_user,
            organisation_id=organisation.id,
            role=granted.value,
            email=email,
        )
    _invitation_send(user, organisation, link_for)
    return user


def user_invite_resend(
    *,
    organisation_id: uuid.UUID | str,
    user_id: int | str,
    acting_user: User,
    link_for: Callable[[str], str],
) -> User:
    """A new link for a user who has not yet chosen a password; the earlier link stops."""
    organisation, user = member_for_administrator(
        organisation_id=organisation_id, user_id=user_id, acting_user=acting_user
    )
    if user_status(user) != "invited":
        raise TransitionRefused(
            N_("Only a user who has not yet chosen a password is invited again."),
            rule="not-invited",
        )
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        _user_audit(
            AuditEventType.USER_INVITED,
            user=user,
            acting_user=acting_user,
            organisation_id=organisation.id,
            email=user.email,
            resent=True,
        )
    _invitation_send(user, organisation, link_for)
    return user


def invitation_accept(*, token: str, password: str, password_again: str) -> User:
    """The invitee chooses a password (Django's validators); the link is then used up."""
    user = invitation_user(token)
    if password != password_again:
        raise _field_error(
            "password_again",
            N_("password_again: the two passwords differ"),
            N_("the two passwords differ"),
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        problem = " ".join(exc.messages)  # Django's own, in the active language
        raise _field_error(
            "password", N_("password: %(problem)s"), N_("%(problem)s"), problem=problem
        ) from None
    with transaction.atomic():
        # Single use under concurrency: the row is locked and the link checked again, so
        # of two posts of one link only the first sets a password.
        locked = User.objects.select_for_update().filter(pk=user.pk).first()
        if locked is None or invitation_user(token).password != locked.password:
            raise TransitionRefused(INVALID_INVITATION, rule="invitation-invalid")
        user = locked
        user.set_password(password)
        user.save(update_fields=["password"])
        first = Membership.objects.filter(user=user).order_by("created_at").first()
        _user_audit(
            AuditEventType.USER_INVITATION_ACCEPTED,
            user=user,
            acting_user=user,
            organisation_id=first.organisation_id if first else None,
        )
    return user


# Deactivation ---------------------------------------------------------------------------


def _user_audit(
    event_type: AuditEventType,
    *,
    user: User,
    acting_user: User,
    organisation_id: uuid.UUID | None,
    **data: object,
) -> None:
    """One administration event about ``user`` (whom), by ``acting_user`` (who)."""
    audit_record(
        event_type=event_type,
        acting_user=acting_user,
        organisation_id=organisation_id,
        object_type="user",
        object_id=str(user.pk),
        data={"username": user.username, **data},
    )


def user_deactivate(*, user: User, acting_user: User) -> User:
    """The user can no longer log in, their sessions end and their API tokens stop."""
    organisation_id = administered_organisation(
        user,
        acting_user,
        refusal=N_("Only an administrator of the user's organisation deactivates a user."),
    )
    if user.pk == acting_user.pk:
        raise TransitionRefused(
            N_("An administrator does not deactivate their own account."), rule="own-account"
        )
    if not user.is_active:
        raise TransitionRefused(N_("The user is already deactivated."), rule="already-deactivated")
    _administers_every_organisation_of(user, acting_user)
    target_orgs = set(
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
    with transaction.atomic():
        last = _last_administrator(user, target_orgs)
        if last is not None:
            raise _last_administrator_refusal(user, last)
        return _active_set(user, acting_user, organisation_id, active=False)


def user_reactivate(*, user: User, acting_user: User) -> User:
    organisation_id = administered_organisation(
        user,
        acting_user,
        refusal=N_("Only an administrator of the user's organisation reactivates a user."),
    )
    if user.is_active:
        raise TransitionRefused(N_("The user is already active."), rule="already-active")
    _administers_every_organisation_of(user, acting_user)
    return _active_set(user, acting_user, organisation_id, active=True)


def _active_set(user: User, acting_user: User, organisation_id: uuid.UUID, *, active: bool) -> User:
    """Deactivate or reactivate, audited with the status from and to."""
    from readmit.accounts.models import ApiToken

    before = user_status(user)
    with transaction.atomic():
        user.is_active = active
        fields = ["is_active"]
        revoked = 0
        if not active:
            # A deactivation is also what a compromised account gets: its tokens are revoked
            # (reactivation does not bring them back) and a pending invitation's link ends
            # for good (a new password-less hash, so the old link's fingerprint never
            # matches again).
            revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=clock.now()
            )
            if not user.has_usable_password():
                user.set_unusable_password()
                fields.append("password")
        user.save(update_fields=fields)
        _user_audit(
            AuditEventType.USER_REACTIVATED if active else AuditEventType.USER_DEACTIVATED,
            user=user,
            acting_user=acting_user,
            organisation_id=organisation_id,
            **{"from": before, "to": user_status(user)},
            **({"tokens_revoked": revoked} if revoked else {}),
        )
    return user


# Roles ----------------------------------------------------------------------------------


def membership_role_change(
    *, organisation_id: uuid.UUID | str, user_id: int | str, role: str, acting_user: User
) -> User:
    """The member holds exactly ``role`` in the organisation from now on (audited from and
    to). The last active administrator keeps the role."""
    organisation, user = member_for_administrator(
        organisation_id=organisation_id, user_id=user_id, acting_user=acting_user
    )
    granted = _role(role)
    current = Membership.objects.filter(user=user, organisation=organisation)
    before = sorted(current.values_list("role", flat=True), key=[r.value for r in Role].index)
    if before == [granted.value]:
        raise _field_error(
            "role",
            N_("role: %(user)s already holds this role"),
            N_("%(user)s already holds this role"),
            user=user.username,
        )
    with transaction.atomic():
        if (
            Role.ADMINISTRATOR.value in before
            and granted != Role.ADMINISTRATOR
            and user.is_active
            and not _other_active_administrators(organisation.id, user)
        ):
            raise _last_administrator_refusal(user, organisation)
        current.exclude(role=granted.value).delete()
        Membership.objects.get_or_create(user=user, organisation=organisation, role=granted.value)
        _user_audit(
            AuditEventType.MEMBERSHIP_ROLE_CHANGED,
            user=user,
            acting_user=acting_user,
            organisation_id=organisation.id,
            **{"from": before, "to": [granted.value]},
        )
    _forget_memberships(user)
    if user.pk == acting_user.pk:
        _forget_memberships(acting_user)
    return user
