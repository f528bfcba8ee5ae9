"""Auditors read the audit log of their own agreements; nobody else reads it."""

from __future__ import annotations

from django.db import connection

from readmit.cases.services import case_transition


def test_an_auditor_sees_their_agreements_events_and_another_states_auditor_does_not(
    login, world, case
):
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    page = login("xk_auditor").get("/audit/")
    assert page.status_code == 200
    assert "xk_caseworker" in page.content.decode()
    outsider = login("me_auditor").get("/audit/")
    assert outsider.status_code == 200
    assert "xk_caseworker" not in outsider.content.decode()


def test_only_auditors_may_open_the_audit_log(login):
    assert login("xk_caseworker").get("/audit/").status_code == 403
    assert login("xk_administrator").get("/audit/").status_code == 403
    assert login("xk_auditor").get("/audit/").status_code == 200


def test_verifying_the_chain_reports_intact_then_broken_after_tampering(login, case):
    client = login("us_auditor")
    assert "Intact" in client.get("/audit/?verify=1").content.decode()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET object_id = 'forged' WHERE seq = 1")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    assert "Broken" in client.get("/audit/?verify=1").content.decode()
