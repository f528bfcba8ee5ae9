"""EU-Pakistan: prima facie evidence only opens a verification of nationality, end to end
through the API (the agreement's ``prima_facie_evidence`` term)."""

from __future__ import annotations

from typing import Any

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from tests.exchange.conftest import assert_problem
from tests.exchange.test_applications import TERMS, add_evidence, application, submit, td3
from tests.factories import make_agreement

VERIFICATION_TERMS: dict[str, Any] = {
    **TERMS,
    "time_limits": {"reply": {"amount": 30, "unit": "calendar_days"}},
    "prima_facie_evidence": "verification",
}
BIRTH_CERTIFICATE = [{"kind": "birth_certificate", "reference": "Lahore register 88/1990"}]


def test_under_a_verification_agreement_prima_facie_evidence_is_no_presumption_and_acceptance_needs_the_outcome(  # noqa: E501
    api, world, login
):
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=VERIFICATION_TERMS)
    sent = submit(
        api, world.user("us_caseworker"), agreement, application(evidence=BIRTH_CERTIFICATE)
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["evidence"]["effect"] == "verification"
    assert "verification of nationality" in sent.json()["evidence"]["explanation"]
    case = Case.objects.get(id=sent.json()["id"])

    audit_rows = AuditEvent.objects.count()
    refused = api.transition(case, world.user("me_supervisor"), {"action": "accept"})
    problem = assert_problem(refused, 409, "evidence-verification")
    assert "'verification'" in problem["detail"]
    assert Case.objects.get(id=case.id).state == "submitted"
    assert AuditEvent.objects.count() == audit_rows

    outcome = "Civil register of Podgorica: entry 1203/1990 confirms the nationality."
    accepted = api.transition(
        case,
        world.user("me_supervisor"),
        {"action": "accept", "payload": {"verification": outcome}},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    assert Case.objects.get(id=case.id).data["verification"] == outcome
    event = AuditEvent.objects.filter(case_id=case.id).order_by("-seq").first()
    assert event is not None and event.data["verification"] == outcome

    # The agreement page shows the setting; the case page the outcome.
    page = login("me_supervisor").get(f"/agreements/{agreement.id}/").content.decode()
    assert "opens a verification of nationality (no presumption)" in page
    shown = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "entry 1203/1990" in shown


def test_under_the_default_presumption_the_same_evidence_is_accepted_without_a_verification(
    api, world, login
):
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    sent = submit(
        api, world.user("us_caseworker"), agreement, application(evidence=BIRTH_CERTIFICATE)
    )
    assert sent.json()["evidence"]["effect"] == "presumed"
    case = Case.objects.get(id=sent.json()["id"])
    accepted = api.transition(case, world.user("me_supervisor"), {"action": "accept"})
    assert accepted.status_code == 200, accepted.content
    page = login("me_supervisor").get(f"/agreements/{agreement.id}/").content.decode()
    assert "presumes nationality (rebuttable)" in page


def test_proof_added_under_a_verification_agreement_needs_no_verification_to_accept(api, world):
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=VERIFICATION_TERMS)
    sent = submit(
        api, world.user("us_caseworker"), agreement, application(evidence=BIRTH_CERTIFICATE)
    ).json()
    passport = {
        "kind": "valid_passport",
        "document": {"type": "passport", "number": "ME1111111", "issuing_country": "ME"},
        "mrz": td3("ME1111111"),
    }
    added = add_evidence(api, world.user("us_caseworker"), sent["id"], passport)
    assert added.json()["evidence"]["effect"] == "nationality_established"
    case = Case.objects.get(id=sent["id"])
    accepted = api.transition(case, world.user("me_supervisor"), {"action": "accept"})
    assert accepted.status_code == 200, accepted.content
