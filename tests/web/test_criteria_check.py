"""'Check the criteria again' on a relocation case page: workers of a party, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.relocation.models import CriteriaEvaluation, EvaluationTrigger
from tests.factories import make_agreement, make_case

TERMS = {
    "quota": {"limit": 50, "period": "rolling_year"},
    "criteria": [{"rule": "nationality_in", "params": {"codes": ["CU", "HT", "NI", "VE"]}}],
}


@pytest.fixture
def relocation_case(world):  # type: ignore[no-untyped-def]
    agreement = make_agreement(world.us, world.xk, terms=TERMS)
    return make_case(agreement, given_names="Marisol", family_name="Ocampo", nationality="VE")


def test_a_caseworker_checks_the_criteria_again_in_place(world, login, relocation_case):
    client = login("xk_caseworker")
    page = client.get(reverse("web:case", args=[relocation_case.id])).content.decode()
    assert "Check the criteria again" in page
    url = reverse("web:case_criteria_check", args=[relocation_case.id])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="case-panel"' in body and "Criteria checked again: pass." in body
    stored = CriteriaEvaluation.objects.get(case=relocation_case)
    assert stored.trigger == EvaluationTrigger.RECHECK and stored.outcome == "pass"
    event = AuditEvent.objects.get(
        event_type=AuditEventType.CRITERIA_EVALUATED, case_id=relocation_case.id
    )
    assert event.actor_id == world.user("xk_caseworker").id
    # Without htmx: back to the case page with a message.
    assert client.post(url).status_code == 302
    assert CriteriaEvaluation.objects.filter(case=relocation_case).count() == 2


@pytest.mark.parametrize(("who", "status"), [("xk_auditor", 403), ("me_caseworker", 404)])
def test_the_wrong_role_or_party_is_refused_and_nothing_is_evaluated(
    login, relocation_case, who, status
):
    client = login(who)
    url = reverse("web:case_criteria_check", args=[relocation_case.id])
    assert client.post(url).status_code == status
    assert not CriteriaEvaluation.objects.filter(case=relocation_case).exists()
    if status == 403:  # an auditor reads the case but is not offered the button
        page = client.get(reverse("web:case", args=[relocation_case.id])).content.decode()
        assert "Check the criteria again" not in page


def test_a_get_is_not_allowed(login, relocation_case):
    url = reverse("web:case_criteria_check", args=[relocation_case.id])
    assert login("xk_caseworker").get(url).status_code == 405
