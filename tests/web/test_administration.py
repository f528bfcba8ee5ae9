"""An organisation's administrators manage its users: invite (a signed, expiring, single-use
link by e-mail), change a role, deactivate and reactivate; each change audited, each refusal
named; another organisation's administrator is told the user does not exist, a member
without the role is refused."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readmit.accounts.administration import INVITATION_DAYS
from readmit.accounts.models import Membership, User
from readmit.accounts.roles import Role
from readmit.accounts.services import token_create
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from tests.factories import PASSWORD, audit_rows, log_in, make_user

NEW_PASSWORD = "a-long-and-unusual-passphrase-7"


def _users(world: Any) -> str:
    return f"/organisations/{world.xk.id}/users/"


def _member(world: Any, user: User, action: str) -> str:
    return f"/organisations/{world.xk.id}/users/{user.pk}/{action}/"


def _events(event_type: AuditEventType) -> Any:
    return AuditEvent.objects.filter(event_type=event_type)


def _invite(client: Client, world: Any, **fields: str) -> Any:
    data = {"username": "vesna.k", "email": "vesna.k@example.org", "role": "caseworker"}
    return client.post(f"{_users(world)}invite/", {**data, **fields})


def _link(message: Any) -> str:
    match = re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _move_clock(monkeypatch: Any, delta: dt.timedelta) -> None:
    moment = dt.datetime.now(dt.UTC) + delta
    monkeypatch.setattr(clock, "now", lambda: moment)


# The users page --------------------------------------------------------------------------


def test_the_users_page_lists_each_members_role_status_second_factor_and_last_login(login, world):
    page = login("xk_administrator").get(_users(world)).content.decode()
    row = page.split(f'id="user-{world.user("xk_auditor").pk}"')[1].split("</tr>")[0]
    assert 'value="auditor" selected' in row
    assert "Active" in row and "Enrolled" in row and "Never" in row
    admin_row = page.split(f'id="user-{world.user("xk_administrator").pk}"')[1].split("</tr>")[0]
    last_login = User.objects.get(username="xk_administrator").last_login
    assert last_login is not None
    shown = last_login.astimezone(zoneinfo.ZoneInfo("Europe/Belgrade"))  # Kosovo's zone
    assert shown.strftime("%Y-%m-%d %H:%M") in admin_row
    assert world.user("us_caseworker").username not in page


def test_the_users_page_costs_the_same_queries_however_many_members_and_locks_it_lists(
    login, world, settings
):
    settings.READMIT_LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    admin = login("xk_administrator")

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            page = admin.get(_users(world)).content.decode()
        return page.count("Locked until"), len(queries)

    few_locked, few = measure()
    for n in range(4):
        member = make_user(world.xk, Role.CASEWORKER, username=f"xk_member_{n}")
        for _ in range(2):
            Client().post("/login/", {"username": member.username, "password": "wrong-one"})
    many_locked, many = measure()
    assert (few_locked, many_locked) == (0, 4)
    assert many == few


@pytest.mark.parametrize(("who", "status"), [("us_administrator", 404), ("xk_caseworker", 403)])
def test_only_an_administrator_of_the_organisation_opens_its_users_page(login, world, who, status):
    assert login(who).get(_users(world)).status_code == status


# Invitations -----------------------------------------------------------------------------


def test_an_invited_user_chooses_a_password_once_then_enrols_a_second_factor_at_login(login, world):
    admin = login("xk_administrator")
    response = _invite(admin, world, display_name="Vesna Krasniqi")
    assert response.status_code == 302
    invited = User.objects.get(username="vesna.k")
    assert not invited.has_usable_password()
    assert list(Membership.objects.filter(user=invited).values_list("role", flat=True)) == [
        "caseworker"
    ]
    event = _events(AuditEventType.USER_INVITED).get()
    assert event.actor_username == "xk_administrator" and event.object_id == str(invited.pk)
    assert event.data["role"] == "caseworker" and event.organisation_id == world.xk.id
    (message,) = mail.outbox
    assert message.to == ["vesna.k@example.org"]
    link = _link(message)

    invitee = Client()
    assert invitee.get(link).status_code == 200
    weak = invitee.post(link, {"password": "short", "password_again": "short"})
    assert weak.status_code == 422 and 'id="id_password_error"' in weak.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()

    accepted = invitee.post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert accepted.status_code == 302 and accepted["Location"] == "/login/"
    assert _events(AuditEventType.USER_INVITATION_ACCEPTED).get().actor_username == "vesna.k"
    assert invitee.get(link).status_code == 410  # used once

    step = invitee.post("/login/", {"username": "vesna.k", "password": NEW_PASSWORD})
    assert step.status_code == 302 and step["Location"].startswith("/login/enrol/")


def test_an_invitation_link_stops_after_its_days_and_when_a_newer_one_is_sent(
    login, world, monkeypatch
):
    admin = login("xk_administrator")
    _invite(admin, world)
    first = _link(mail.outbox[0])
    invited = User.objects.get(username="vesna.k")
    assert admin.post(_member(world, invited, "invite")).status_code == 302
    second = _link(mail.outbox[1])
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200
    _move_clock(monkeypatch, dt.timedelta(days=INVITATION_DAYS, hours=1))
    assert Client().get(second).status_code == 410
    assert Client().get("/invitation/forged-token/").status_code == 410


def test_an_invitation_with_a_taken_login_name_is_refused_next_to_the_field_writing_nothing(
    login, world
):
    admin = login("xk_administrator")
    before = audit_rows()
    response = _invite(admin, world, username="us_caseworker")
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_username_error"' in page and "taken" in page
    bad_role = _invite(admin, world, role="emperor")
    assert bad_role.status_code == 422 and 'id="id_role_error"' in bad_role.content.decode()
    assert audit_rows() == before and mail.outbox == []
    assert not User.objects.filter(username="vesna.k").exists()


@pytest.mark.parametrize(("who", "status"), [("us_administrator", 404), ("xk_supervisor", 403)])
def test_only_an_administrator_of_the_organisation_invites_to_it(login, world, who, status):
    before = audit_rows()
    assert _invite(login(who), world).status_code == status
    assert audit_rows() == before and not User.objects.filter(username="vesna.k").exists()


# Deactivation ----------------------------------------------------------------------------


def test_a_deactivated_user_cannot_log_in_and_their_api_tokens_and_sessions_stop(
    login, world, client
):
    target = world.user("xk_caseworker")
    _token, secret = token_create(user=target, name="scripts", acting_user=target)
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/agreements", **auth).status_code == 200
    session = log_in(Client(), target)
    assert session.get("/cases/").status_code == 200

    admin = login("xk_administrator")
    assert admin.post(_member(world, target, "deactivate")).status_code == 302
    event = _events(AuditEventType.USER_DEACTIVATED).get()
    assert event.actor_username == "xk_administrator" and event.object_id == str(target.pk)
    assert (event.data["from"], event.data["to"]) == ("active", "deactivated")

    assert Client().get("/api/v1/agreements", **auth).status_code == 401
    assert session.get("/cases/")["Location"].startswith("/login/")
    refused = Client().post("/login/", {"username": target.username, "password": PASSWORD})
    assert refused.status_code == 200  # the login form again, with its error

    assert admin.post(_member(world, target, "reactivate")).status_code == 302
    back = _events(AuditEventType.USER_REACTIVATED).get()
    assert (back.data["from"], back.data["to"]) == ("deactivated", "active")
    # The tokens were revoked, not paused: a reactivated account makes new ones.
    assert event.data["tokens_revoked"] == 1
    assert Client().get("/api/v1/agreements", **auth).status_code == 401
    assert log_in(Client(), target).get("/cases/").status_code == 200


def test_only_an_administrator_of_each_of_a_users_organisations_deactivates_the_account(
    login, world
):
    """Active or not is one switch for the whole account: Kosovo's administrator does not
    undo (or impose) it for a member Montenegro's ministry also has."""
    target = world.user("xk_caseworker")
    Membership.objects.create(user=target, organisation=world.me, role=Role.CASEWORKER)
    before = audit_rows()
    refused = login("xk_administrator").post(_member(world, target, "deactivate"))
    assert refused.status_code == 409
    assert "do not administer" in refused.content.decode()
    assert audit_rows() == before and User.objects.get(pk=target.pk).is_active


def test_a_pending_invitation_neither_survives_a_deactivation_nor_counts_as_an_administrator(
    login, world
):
    admin_user = world.user("xk_administrator")
    admin = login("xk_administrator")
    assert _invite(admin, world, role="administrator").status_code == 302
    link = _link(mail.outbox[-1])
    invited = User.objects.get(username="vesna.k")
    # The invitation is not yet an administrator who can log in: the last one keeps the role.
    own = {f"u{admin_user.pk}-role": "auditor"}
    assert admin.post(_member(world, admin_user, "role"), own).status_code == 409
    # Deactivated then reactivated, the invitee's old link no longer works.
    assert admin.post(_member(world, invited, "deactivate")).status_code == 302
    assert admin.post(_member(world, invited, "reactivate")).status_code == 302
    assert Client().get(link).status_code == 410


def test_an_administrator_does_not_deactivate_their_own_account(login, world):
    admin = login("xk_administrator")
    before = audit_rows()
    response = admin.post(_member(world, world.user("xk_administrator"), "deactivate"))
    assert response.status_code == 409
    assert "does not deactivate their own account" in response.content.decode()
    assert audit_rows() == before
    assert User.objects.get(username="xk_administrator").is_active


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "role", "invite"])
@pytest.mark.parametrize(("who", "status"), [("us_administrator", 404), ("xk_auditor", 403)])
def test_another_organisations_administrator_and_a_member_without_the_role_change_nobody(
    login, world, action, who, status
):
    target = world.user("xk_caseworker")
    before = audit_rows()
    response = login(who).post(_member(world, target, action), {f"u{target.pk}-role": "auditor"})
    assert response.status_code == status
    assert audit_rows() == before
    assert list(Membership.objects.filter(user=target).values_list("role", flat=True)) == [
        "caseworker"
    ]


# Roles -----------------------------------------------------------------------------------


def test_a_role_change_is_audited_from_and_to_and_the_member_then_has_only_the_new_role(
    login, world
):
    target = world.user("xk_caseworker")
    admin = login("xk_administrator")
    response = admin.post(_member(world, target, "role"), {f"u{target.pk}-role": "supervisor"})
    assert response.status_code == 302
    assert list(Membership.objects.filter(user=target).values_list("role", flat=True)) == [
        "supervisor"
    ]
    event = _events(AuditEventType.MEMBERSHIP_ROLE_CHANGED).get()
    assert event.actor_username == "xk_administrator" and event.object_id == str(target.pk)
    assert (event.data["from"], event.data["to"]) == (["caseworker"], ["supervisor"])
    same = admin.post(_member(world, target, "role"), {f"u{target.pk}-role": "supervisor"})
    assert same.status_code == 422 and "already holds this role" in same.content.decode()


def test_the_last_active_administrator_keeps_the_role_until_another_member_has_it(login, world):
    admin_user = world.user("xk_administrator")
    admin = login("xk_administrator")
    own = {f"u{admin_user.pk}-role": "auditor"}
    refused = admin.post(_member(world, admin_user, "role"), own)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "last active administrator" in page and f'id="user-{admin_user.pk}-error"' in page
    assert not _events(AuditEventType.MEMBERSHIP_ROLE_CHANGED).exists()

    deputy = world.user("xk_supervisor")
    promote = {f"u{deputy.pk}-role": "administrator"}
    assert admin.post(_member(world, deputy, "role"), promote).status_code == 302
    assert admin.post(_member(world, admin_user, "role"), own).status_code == 302
    assert Role.ADMINISTRATOR.value not in Membership.objects.filter(user=admin_user).values_list(
        "role", flat=True
    )
    # The former administrator no longer manages users.
    assert admin.get(_users(world)).status_code == 403
    # The new one cannot deactivate the only remaining administrator: themselves.
    deputy_client = log_in(Client(), deputy)
    assert deputy_client.post(_member(world, deputy, "deactivate")).status_code == 409
