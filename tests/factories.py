"""Builders for a small fictional world: three states, their authorities, users per role.

Tests change one thing at a time against this world (a role, a party), so every permission
test can show both the refusal and the permission.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from readmit.accounts.logins import second_factor_install
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.accounts.services import organisation_create, user_create
from readmit.agreements.models import Agreement, AgreementStatus
from readmit.agreements.services import agreement_create
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.cases.services import DocumentInput, PersonInput, case_open, person_create
from readmit.core.actors import SystemActor

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"
# The test world is set up by the system, like the demo (tokens like the command line's).
SYSTEM = SystemActor("demo loader")
CLI = SystemActor("command line")


def make_org(country: str, name: str | None = None) -> Organisation:
    n = next(_counter)
    return organisation_create(
        name=name or f"Authority {n} of {country}",
        slug=f"org-{country.lower()}-{n}",
        country_code=country,
        acting_user=SYSTEM,
    )


def make_user(
    org: Organisation, *roles: Role, username: str | None = None, second_factor: bool = True
) -> User:
    """A user with the test password and, unless told not to, an enrolled TOTP device (its
    key derived from the username, see :func:`world_totp_key`) and recovery codes."""
    n = next(_counter)
    user = user_create(
        username=username or f"user{n}",
        password=PASSWORD,
        organisation=org,
        roles=list(roles) or [Role.CASEWORKER],
        acting_user=SYSTEM,
    )
    if second_factor:
        second_factor_install(user=user, key=world_totp_key(user.username), recovery_codes=5)
    return user


def world_totp_key(username: str) -> bytes:
    return hashlib.sha256(f"readmit-test-totp:{username}".encode()).digest()[:20]


def current_totp(user: User) -> str:
    """A code the user's TOTP device accepts now: the first step, within the device's
    tolerance, after the last one it accepted (a device takes each step only once)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    oath = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    now = oath.t() + device.drift
    # The current step first, then later ones within tolerance: never an earlier step, which
    # the server may already count as outside its window by the time the code arrives.
    for step in range(now, now + device.tolerance + 1):
        if step > device.last_t:
            oath.time = device.t0 + step * device.step
            return f"{oath.token():0{device.digits}d}"
    raise AssertionError(
        f"{user.username}: every TOTP step in tolerance is used; use a recovery code"
    )


def recovery_code(user: User) -> str:
    return str(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True).first()
    )


def _csrf(client: Client, url: str) -> dict[str, str]:
    """The form's CSRF token, so this works with ``Client(enforce_csrf_checks=True)`` too."""
    client.get(url)
    cookie = client.cookies.get("csrftoken")
    return {"csrfmiddlewaretoken": cookie.value} if cookie else {}


def log_in(client: Client, user: User, password: str = PASSWORD) -> Client:
    """Log in through the real pages: password, then a TOTP code (a recovery code once this
    test has used up the TOTP steps the device accepts right now)."""
    client.logout()
    response = client.post(
        "/login/",
        {"username": user.username, "password": password, **_csrf(client, "/login/")},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith("/login/verify/"), response["Location"]
    try:
        token = current_totp(user)
    except AssertionError:
        token = recovery_code(user)
    response = client.post("/login/verify/", {"token": token, **_csrf(client, "/login/verify/")})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def make_agreement(
    sending: Organisation,
    receiving: Organisation,
    *,
    kind: str = "relocation",
    terms: dict[str, Any] | None = None,
    status: str = AgreementStatus.IN_FORCE,
    in_force_from: dt.date | None = None,
) -> Agreement:
    n = next(_counter)
    if terms is None and kind == "relocation":
        terms = {"quota": {"limit": 50, "period": "rolling_year"}}
    return agreement_create(
        reference=f"agr-{n}",
        title=f"Agreement {n}",
        kind=kind,
        sending=sending,
        receiving=receiving,
        terms=terms or {},
        acting_user=SYSTEM,
        status=status,
        in_force_from=in_force_from or dt.date(2026, 1, 1),
    )


def make_case(
    agreement: Agreement,
    *,
    family_name: str = "Testperson",
    given_names: str = "Ana",
    nationality: str = "VE",
    external_id: str = "",
    by: User | None = None,
    **person: Any,
) -> Case:
    sending = agreement.sending_party
    assert sending is not None
    data = PersonInput(
        family_name=family_name,
        given_names=given_names,
        nationalities=[nationality],
        birth_year=person.pop("birth_year", 1990),
        documents=person.pop(
            "documents", [DocumentInput("passport", f"P{next(_counter):07d}", nationality)]
        ),
        **person,
    )
    p = person_create(data=data, owner=sending.organisation, acting_user=by or SYSTEM)
    return case_open(
        agreement=agreement,
        person=p,
        acting_user=by or SYSTEM,
        organisation=sending.organisation,
        external_id=external_id,
    )


@dataclass
class World:
    """USA sends; Kosovo hosts; Montenegro is a party to nothing here (the outsider)."""

    us: Organisation
    xk: Organisation
    me: Organisation
    users: dict[str, User] = field(default_factory=dict)
    agreement: Agreement | None = None

    def user(self, key: str) -> User:
        return self.users[key]


def make_world() -> World:
    world = World(
        us=make_org("US", "Department of Homeland Security"),
        xk=make_org("XK", "Ministry of Internal Affairs of Kosovo"),
        me=make_org("ME", "Ministry of Interior of Montenegro"),
    )
    for org_key, org in (("us", world.us), ("xk", world.xk), ("me", world.me)):
        for role in Role:
            world.users[f"{org_key}_{role.value}"] = make_user(
                org, role, username=f"{org_key}_{role.value}"
            )
    world.agreement = make_agreement(world.us, world.xk)
    return world


LOGIN_EVENTS = frozenset(
    {
        AuditEventType.USER_LOGGED_IN,
        AuditEventType.USER_LOGGED_OUT,
        AuditEventType.LOGIN_PASSWORD_ACCEPTED,
    }
)


def audit_rows() -> int:
    """Audit rows written so far, apart from the logins a test makes through the real pages
    (``log_in`` writes those; a test that counts what an action wrote does not count them)."""
    return AuditEvent.objects.exclude(event_type__in=LOGIN_EVENTS).count()
