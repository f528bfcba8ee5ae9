"""Transitions through the case page: one audit row per change, refusals write nothing."""

from __future__ import annotations

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from tests.factories import audit_rows, make_agreement, make_case

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(client, case, action, *, version=None, reason="", payload=None, **extra):
    data = {"action": action, "version": version or case.version, "reason": reason}
    data.update({f"payload-{k}": v for k, v in (payload or {}).items()})
    return client.post(f"/cases/{case.id}/transitions/", data, **extra)


HOLD = {
    "kind": "court_challenge",
    "reference": "AB-12/2026",
    "authority": "Court (fictional)",
    "decided_on": "2024-03-01",
}


def test_a_transition_through_the_page_writes_one_audit_row_and_changes_state(login, case):
    before = audit_rows()
    response = _post(login("xk_caseworker"), case, "recommend")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.id}/"
    case.refresh_from_db()
    assert (case.state, case.version) == ("recommended", 2)
    assert audit_rows() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.event_type == AuditEventType.CASE_TRANSITIONED
    assert event.actor_username == "xk_caseworker"
    assert (event.data["from"], event.data["to"]) == ("proposed", "recommended")


def test_after_a_transition_the_page_shows_it_in_the_history(login, case):
    client = login("us_caseworker")
    _post(client, case, "withdraw", reason="Person left the country")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert "Person left the country" in page
    assert "Withdrawn" in page
    assert "us_caseworker" in page


def test_with_htmx_a_transition_answers_the_case_panel_not_a_page(login, case):
    response = _post(login("xk_caseworker"), case, "recommend", **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="case-panel"')
    assert "<html" not in body
    assert "Recommended" in body
    assert Case.objects.get(id=case.id).state == "recommended"


def test_a_stale_version_is_refused_and_nothing_is_written(world, login, case):
    loaded_version = case.version
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_supervisor"))
    before = audit_rows()

    response = _post(
        login("xk_caseworker"),
        case,
        "place_legal_hold",
        version=loaded_version,
        reason="Court order 12/2026",
        payload=HOLD,
    )
    assert response.status_code == 412
    body = response.content.decode()
    assert "changed since you loaded it" in body
    assert "Court order 12/2026" in body  # the typed reason is still in the form
    assert audit_rows() == before
    assert Case.objects.get(id=case.id).legal_hold is False

    current = Case.objects.get(id=case.id).version
    response = _post(
        login("xk_caseworker"),
        case,
        "place_legal_hold",
        version=current,
        reason="Court order 12/2026",
        payload=HOLD,
    )
    assert response.status_code == 302
    assert Case.objects.get(id=case.id).legal_hold is True


def test_a_refused_transition_shows_why_and_keeps_the_typed_reason(world, login):
    full = make_agreement(world.us, world.xk, terms={"quota": {"limit": 0}})
    case = make_case(full)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_supervisor"))
    case.refresh_from_db()
    before = audit_rows()

    for extra in ({}, HTMX):
        response = _post(
            login("xk_supervisor"), case, "select", reason="Meets every criterion", **extra
        )
        assert response.status_code == 409
        body = response.content.decode()
        assert "quota of 0" in body
        assert ">Meets every criterion</textarea>" in body
    assert audit_rows() == before
    assert Case.objects.get(id=case.id).state == "recommended"


def test_a_transition_that_needs_a_reason_is_refused_without_one(login, case):
    before = audit_rows()
    response = _post(login("us_caseworker"), case, "withdraw", reason="   ")
    assert response.status_code == 422
    assert "needs a reason" in response.content.decode()
    assert audit_rows() == before
    assert Case.objects.get(id=case.id).state == "proposed"


def test_a_reason_field_is_required_only_where_the_transition_needs_one(login, case):
    page = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    withdraw = page.split('id="reason-withdraw"')[1].split(">")[0]
    assert "required" in withdraw
    page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    recommend = page.split('id="reason-recommend"')[1].split(">")[0]
    assert "required" not in recommend


def test_an_action_the_user_may_not_take_is_refused_with_its_message(login, case):
    response = _post(login("xk_caseworker"), case, "select", reason="Looks fine")
    assert response.status_code in (403, 409)
    assert "Looks fine" in response.content.decode()
    assert Case.objects.get(id=case.id).state == "proposed"


def test_the_transition_form_is_protected_against_cross_site_requests(world, case):
    from django.test import Client

    from tests.factories import log_in

    client = Client(enforce_csrf_checks=True)
    log_in(client, world.user("xk_caseworker"))
    response = _post(client, case, "recommend")
    assert response.status_code == 403
    assert Case.objects.get(id=case.id).state == "proposed"


def test_an_action_input_the_rules_refuse_is_named_and_kept_in_the_form(login, case):
    before = audit_rows()
    response = _post(
        login("us_caseworker"),
        case,
        "place_legal_hold",
        reason="Appeal lodged",
        payload={
            "kind": "",
            "reference": "AB-12/2026",
            "authority": "Court (fictional)",
            "decided_on": "2024-03-01",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "kind: is required" in body
    assert 'value="AB-12/2026"' in body and ">Appeal lodged</textarea>" in body
    assert audit_rows() == before

    response = _post(
        login("us_caseworker"), case, "place_legal_hold", reason="Appeal lodged", payload=HOLD
    )
    assert response.status_code == 302
    assert Case.objects.get(id=case.id).legal_hold is True


def test_a_readmission_case_page_asks_for_the_holds_authority_and_records_it(world, login):
    from readmit.relocation.models import LegalHold

    case = make_case(make_agreement(world.us, world.me, kind="readmission"))
    client = login("us_caseworker")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'name="payload-authority"' in page
    assert 'name="payload-decided_on"' in page
    response = _post(client, case, "place_legal_hold", reason="Fear claim lodged", payload=HOLD)
    assert response.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert (hold.authority, hold.side) == ("Court (fictional)", "sending")


def test_the_other_party_lifting_a_hold_on_the_page_is_refused_and_nothing_is_written(world, login):
    case = make_case(make_agreement(world.us, world.me, kind="readmission"))
    _post(login("us_caseworker"), case, "place_legal_hold", reason="Fear claim", payload=HOLD)
    case.refresh_from_db()
    before = audit_rows()
    response = _post(login("me_supervisor"), case, "lift_legal_hold", reason="not ours")
    assert response.status_code == 403
    assert "placed by the sending party" in response.content.decode()
    assert audit_rows() == before
    assert Case.objects.get(id=case.id).legal_hold is True
