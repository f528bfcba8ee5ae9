"""Logging in and out is audited explicitly; a failed login says nothing about the name."""

from __future__ import annotations

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from tests.factories import PASSWORD, log_in


def _events(event_type: AuditEventType):
    return AuditEvent.objects.filter(event_type=event_type)


def test_a_login_is_recorded_in_the_audit_log_once_the_second_factor_passes(client, world):
    response = client.post("/login/", {"username": "xk_caseworker", "password": PASSWORD})
    assert response.status_code == 302
    assert _events(AuditEventType.LOGIN_PASSWORD_ACCEPTED).get().actor_username == "xk_caseworker"
    assert not _events(AuditEventType.USER_LOGGED_IN).exists()
    log_in(client, world.user("xk_caseworker"))
    event = _events(AuditEventType.USER_LOGGED_IN).get()
    assert event.actor_username == "xk_caseworker"
    assert event.organisation_id == world.xk.id
    assert event.data["factor"] == "totp"


def test_a_logout_is_recorded_and_ends_the_session(client, world):
    client.post("/login/", {"username": "xk_caseworker", "password": PASSWORD})
    response = client.post("/logout/")
    assert response.status_code == 302
    assert _events(AuditEventType.USER_LOGGED_OUT).get().actor_username == "xk_caseworker"
    assert client.get("/").status_code == 302


def test_logout_by_get_is_not_allowed_and_not_recorded(client, world):
    client.post("/login/", {"username": "xk_caseworker", "password": PASSWORD})
    assert client.get("/logout/").status_code == 405
    assert not _events(AuditEventType.USER_LOGGED_OUT).exists()


def test_a_failed_login_is_recorded_without_an_actor(client, world):
    response = client.post("/login/", {"username": "xk_caseworker", "password": "wrong"})
    assert response.status_code == 200
    event = _events(AuditEventType.USER_LOGIN_FAILED).get()
    assert event.actor_id is None
    assert event.data["username"] == "xk_caseworker"
    assert "wrong" not in str(event.data)
    assert not _events(AuditEventType.USER_LOGGED_IN).exists()


def test_a_failed_login_reads_the_same_whether_the_username_exists_or_not(client, world):
    known = client.post("/login/", {"username": "xk_caseworker", "password": "wrong"})
    unknown = client.post("/login/", {"username": "nobody-here", "password": "wrong"})
    known_errors = known.context["form"].non_field_errors()
    assert known_errors == unknown.context["form"].non_field_errors()
    assert "Please enter a correct username and password" in known.content.decode()
    assert _events(AuditEventType.USER_LOGIN_FAILED).count() == 2
