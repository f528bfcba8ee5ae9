"""The transit actions on the case page: offered on a transit only, taken with a reason."""

from __future__ import annotations

from readmit.cases.applications import ApplicationIn
from readmit.cases.intake import readmission_application_submit
from readmit.cases.models import Case, Deadline
from readmit.cases.services import case_transition
from tests.cases.test_transit import transit
from tests.exchange.test_applications import TERMS, application
from tests.factories import make_agreement


def _accepted(world, body) -> Case:  # type: ignore[no-untyped-def]
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    case = readmission_application_submit(
        agreement=agreement,
        application=ApplicationIn.model_validate(body),
        acting_user=world.user("us_caseworker"),
    ).case
    return case_transition(
        case_id=case.id, action="accept", acting_user=world.user("me_supervisor")
    )


def test_the_requested_side_revokes_a_transit_on_its_page_and_a_plain_case_offers_no_such_action(
    world, login
):
    plain = _accepted(world, application("DHS-W-1"))
    client = login("me_caseworker")
    assert "revoke_transit" not in client.get(f"/cases/{plain.id}/").content.decode()

    case = _accepted(world, transit("DHS-W-2"))
    assert "revoke_transit" in client.get(f"/cases/{case.id}/").content.decode()
    data = {"action": "revoke_transit", "version": case.version, "reason": ""}
    client.post(f"/cases/{case.id}/transitions/", data)
    assert Case.objects.get(id=case.id).state == "accepted"  # a reason is required

    assert login("xk_caseworker").post(f"/cases/{case.id}/transitions/", data).status_code == 404
    data["reason"] = "public order grounds arose"
    login("me_caseworker").post(f"/cases/{case.id}/transitions/", data)
    assert Case.objects.get(id=case.id).state == "take_back_due"
    assert Deadline.objects.filter(case=case, kind="take_back", met_at__isnull=True).exists()
