"""Agreement management pages: status, amendments, the diplomatic record. Each refusal
writes nothing; each permission test changes one thing (the party, then the role)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from readmit.agreements.models import (
    Agreement,
    AgreementStatusChange,
    AgreementVersion,
    AmendmentProposal,
    DiplomaticContact,
    ProposalState,
    PublicPosition,
    TerminationNotice,
)
from readmit.agreements.selectors import quota_status
from readmit.agreements.services import amendment_confirm, amendment_propose
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from tests.factories import audit_rows


def url(name: str, agreement: Agreement) -> str:
    return reverse(f"web:{name}", args=[agreement.id])


def written() -> tuple[int, ...]:
    """Everything these pages can write."""
    return (
        audit_rows(),
        AgreementStatusChange.objects.count(),
        AgreementVersion.objects.count(),
        DiplomaticContact.objects.count(),
        PublicPosition.objects.count(),
        AmendmentProposal.objects.count(),
        TerminationNotice.objects.count(),
    )


def confirm_pending(login, world, user: str = "us_supervisor"):  # type: ignore[no-untyped-def]
    """The other party confirms the pending proposal on the terms page."""
    proposal = AmendmentProposal.objects.get(agreement=world.agreement, state="pending")
    client = login(user)
    response = client.post(
        reverse("web:agreement_proposal", args=[world.agreement.id, proposal.id]),
        {"action": "confirm"},
    )
    assert response.status_code == 302, response.content.decode()
    return client


def status_post(**overrides: str) -> dict[str, str]:
    return {
        "status": "suspended",
        "on": clock.today().isoformat(),
        "source": "Note verbale 12/2026",
        "reason": "Review of reception conditions",
        "ground": "court_order",
        "ground_reference": "Constitutional Court KI-1/26",
        **overrides,
    }


def amend_post(agreement: Agreement, **overrides: str) -> dict[str, str]:
    """The amend form as it is shown for the world's agreement, with changes."""
    data = {
        "quota_limit": "50",
        "quota_period": "rolling_year",
        "max_stay_days": "",
        "notice_hours": "",
        "capacity_max_present": "",
        "exclude_unaccompanied_minors": "on",
        "families_together": "on",
        "valid_from": "",
        "reason": "cap raised by mutual consent",
        "source": "Exchange of notes",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "50",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# The agreement page and the lifecycle panel --------------------------------------------------


def test_the_agreement_page_loads_the_status_panel_and_links_to_the_terms(login, world):
    response = login("xk_caseworker").get(url("agreement", world.agreement))
    assert response.status_code == 200
    assert url("agreement_status", world.agreement) in response.content.decode()
    assert url("agreement_terms", world.agreement) in response.content.decode()


def test_the_status_panel_is_not_found_for_a_non_party_and_shown_to_a_party(login, world):
    assert login("me_supervisor").get(url("agreement_status", world.agreement)).status_code == 404
    assert login("us_supervisor").get(url("agreement_status", world.agreement)).status_code == 200


def test_only_a_supervisor_or_administrator_of_a_party_sees_the_status_form(login, world):
    panel = url("agreement_status", world.agreement)
    page = login("xk_caseworker").get(panel, HTTP_HX_REQUEST="true").content.decode()
    assert "Change status" not in page and "Amend terms" not in page
    page = login("xk_supervisor").get(panel, HTTP_HX_REQUEST="true").content.decode()
    assert "Change status" in page and "Amend terms" in page
    # The next statuses come from the lifecycle table: in force → suspended; an agreement
    # in force ends by a notice of termination, offered on its own.
    assert '<option value="suspended"' in page and '<option value="ended"' not in page
    assert '<option value="negotiating"' not in page
    assert "Give notice of termination" in page
    page = login("xk_administrator").get(panel, HTTP_HX_REQUEST="true").content.decode()
    assert "Change status" in page


def test_a_status_change_by_a_non_party_is_not_found_and_writes_nothing(login, world):
    before = written()
    response = login("me_supervisor").post(url("agreement_status", world.agreement), status_post())
    assert response.status_code == 404
    assert written() == before


def test_a_status_change_by_a_caseworker_of_a_party_is_refused_and_writes_nothing(login, world):
    before = written()
    response = login("us_caseworker").post(url("agreement_status", world.agreement), status_post())
    assert response.status_code == 403
    assert written() == before
    assert Agreement.objects.get(id=world.agreement.id).status == "in_force"


def test_a_status_change_by_a_supervisor_writes_history_and_an_audit_row(login, world):
    audit_before = audit_rows()
    client = login("us_supervisor")
    response = client.post(url("agreement_status", world.agreement), status_post())
    assert response.status_code == 302
    assert Agreement.objects.get(id=world.agreement.id).status == "suspended"
    change = AgreementStatusChange.objects.get(agreement=world.agreement)
    assert (change.from_status, change.to_status, change.source) == (
        "in_force",
        "suspended",
        "Note verbale 12/2026",
    )
    assert change.changed_by == world.user("us_supervisor")
    assert audit_rows() == audit_before + 1
    assert AuditEvent.objects.latest("seq").event_type == AuditEventType.AGREEMENT_STATUS_CHANGED
    panel = client.get(url("agreement_status", world.agreement)).content.decode()
    assert "Note verbale 12/2026" in panel and "Review of reception conditions" in panel


def test_suspending_without_a_reason_is_shown_on_the_reason_field_with_the_input_kept(login, world):
    before = written()
    response = login("us_supervisor").post(
        url("agreement_status", world.agreement), status_post(reason="")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_reason_error"' in page and "a reason is required" in page
    assert "Note verbale 12/2026" in page  # the source typed is still there
    assert written() == before


def test_a_status_date_in_the_future_is_shown_on_the_date_field(login, world):
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    before = written()
    response = login("us_supervisor").post(
        url("agreement_status", world.agreement), status_post(on=tomorrow)
    )
    assert response.status_code == 422
    assert 'id="id_on_error"' in response.content.decode()
    assert written() == before


def test_a_status_the_table_does_not_offer_is_refused_and_writes_nothing(login, world):
    before = written()
    response = login("us_supervisor").post(
        url("agreement_status", world.agreement), status_post(status="negotiating")
    )
    assert response.status_code == 400
    assert 'id="id_status_error"' in response.content.decode()
    assert written() == before


def test_a_status_change_without_a_source_is_refused(login, world):
    before = written()
    response = login("us_supervisor").post(
        url("agreement_status", world.agreement), status_post(source="")
    )
    assert response.status_code == 400
    assert 'id="id_source_error"' in response.content.decode()
    assert written() == before


# Terms and versions ----------------------------------------------------------------------------


def test_the_terms_page_is_not_found_for_a_non_party_and_shown_to_a_party(login, world):
    assert login("me_auditor").get(url("agreement_terms", world.agreement)).status_code == 404
    response = login("xk_auditor").get(url("agreement_terms", world.agreement))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Terms as first recorded" in page
    assert 'id="terms-json"' in page and "&quot;limit&quot;: 50" in page
    assert "Amend terms" not in page


def test_the_amend_page_is_not_found_for_a_non_party_refused_to_a_caseworker_shown_to_an_admin(
    login, world
):
    page = url("agreement_amend", world.agreement)
    assert login("me_administrator").get(page).status_code == 404
    assert login("xk_caseworker").get(page).status_code == 403
    assert login("xk_liaison").get(page).status_code == 403
    response = login("xk_administrator").get(page)
    assert response.status_code == 200
    assert 'name="quota_limit"' in response.content.decode()
    assert 'value="50"' in response.content.decode()


def test_an_amendment_by_a_caseworker_is_refused_and_writes_nothing(login, world):
    before = written()
    response = login("us_caseworker").post(
        url("agreement_amend", world.agreement), amend_post(world.agreement, quota_limit="60")
    )
    assert response.status_code == 403
    assert written() == before


def test_a_raised_cap_shows_as_version_two_and_in_the_quota_figures(login, world):
    client = login("xk_administrator")
    response = client.post(
        url("agreement_amend", world.agreement), amend_post(world.agreement, quota_limit="60")
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == url("agreement_terms", world.agreement) + "#proposals-title"
    pending = client.get(url("agreement_terms", world.agreement)).content.decode()
    assert "quota.limit 50→60" in pending and "Pending the other party" in pending
    assert quota_status(world.agreement).limit == 50  # type: ignore[union-attr]
    client = confirm_pending(login, world)
    versions = client.get(url("agreement_terms", world.agreement)).content.decode()
    assert "quota.limit 50→60" in versions and "cap raised by mutual consent" in versions
    version = AgreementVersion.objects.get(agreement=world.agreement, number=2)
    assert version.terms["quota"]["limit"] == 60
    assert version.recorded_by == world.user("us_supervisor")
    status = quota_status(world.agreement)
    assert status is not None and status.limit == 60
    detail = client.get(url("agreement", world.agreement)).content.decode()
    assert "60 people per" in detail


def test_invalid_criterion_params_are_shown_on_that_row_and_nothing_is_saved(login, world):
    before = written()
    data = amend_post(
        world.agreement,
        **{
            "criteria-TOTAL_FORMS": "2",
            "criteria-0-rule": "no_watchlist_match",
            "criteria-0-params": "{}",
            "criteria-1-rule": "no_conviction_within_years",
            "criteria-1-params": '{"years": 0}',
            "criteria-1-label": "No recent conviction",
        },
    )
    response = login("xk_supervisor").post(url("agreement_amend", world.agreement), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_criteria-1-params_error"' in page
    assert "years" in page.split('id="id_criteria-1-params_error"', 1)[1].split("</p>", 1)[0]
    assert 'id="id_criteria-0-params_error"' not in page
    assert "No recent conviction" in page  # the row typed is kept
    assert written() == before


def test_params_that_are_not_json_are_shown_on_the_field_and_nothing_is_saved(login, world):
    before = written()
    data = amend_post(
        world.agreement,
        **{
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-rule": "age_between",
            "criteria-0-params": "{min: 18}",
        },
    )
    response = login("xk_supervisor").post(url("agreement_amend", world.agreement), data)
    assert response.status_code == 400
    assert 'id="id_criteria-0-params_error"' in response.content.decode()
    assert "not valid JSON" in response.content.decode()
    assert written() == before


def test_a_negative_quota_is_shown_on_the_quota_field(login, world):
    before = written()
    response = login("xk_supervisor").post(
        url("agreement_amend", world.agreement), amend_post(world.agreement, quota_limit="-1")
    )
    assert response.status_code == 422
    assert 'id="id_quota_limit_error"' in response.content.decode()
    assert written() == before


def test_an_amendment_that_changes_nothing_is_refused_on_the_form(login, world):
    before = written()
    response = login("xk_supervisor").post(
        url("agreement_amend", world.agreement), amend_post(world.agreement)
    )
    assert response.status_code == 422
    assert "The amendment changes nothing." in response.content.decode()
    assert written() == before


def test_criteria_rows_are_added_saved_and_removed(login, world):
    client = login("xk_supervisor")
    page = url("agreement_amend", world.agreement)
    more = client.post(page, amend_post(world.agreement, add_row="1", quota_limit="55"))
    assert more.status_code == 200
    assert 'name="criteria-0-rule"' in more.content.decode()
    assert 'value="55"' in more.content.decode()  # what was typed stays
    assert AgreementVersion.objects.filter(agreement=world.agreement).count() == 1
    saved = client.post(
        page,
        amend_post(
            world.agreement,
            **{
                "criteria-TOTAL_FORMS": "1",
                "criteria-0-rule": "age_between",
                "criteria-0-params": '{"min": 18}',
                "criteria-0-label": "Adults only",
            },
        ),
    )
    assert saved.status_code == 302
    confirm_pending(login, world)
    client = login("xk_supervisor")
    assert Agreement.objects.get(id=world.agreement.id).terms["criteria"] == [
        {"rule": "age_between", "params": {"min": 18}, "label": "Adults only"}
    ]
    form = client.get(page).content.decode()
    assert "Adults only" in form
    removed = client.post(
        page,
        amend_post(
            world.agreement,
            **{
                "criteria-TOTAL_FORMS": "1",
                "criteria-0-rule": "age_between",
                "criteria-0-params": '{"min": 18}',
                "criteria-0-label": "Adults only",
                "criteria-0-DELETE": "on",
                "reason": "criterion dropped",
            },
        ),
    )
    assert removed.status_code == 302
    confirm_pending(login, world)
    assert Agreement.objects.get(id=world.agreement.id).terms["criteria"] == []
    assert AgreementVersion.objects.filter(agreement=world.agreement).count() == 3


def test_the_amend_form_keeps_settings_it_does_not_show(login, world):
    proposal = amendment_propose(
        agreement=world.agreement,
        changes={"urgent_notice_hours": 6, "notice_hours": 24},
        valid_from=clock.now(),
        reason="notice set",
        source="",
        acting_user=world.user("xk_supervisor"),
    )
    amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    response = login("xk_supervisor").post(
        url("agreement_amend", world.agreement),
        amend_post(world.agreement, quota_limit="60", notice_hours="24"),
    )
    assert response.status_code == 302
    assert AmendmentProposal.objects.get(state="pending").changes == {
        "quota": {"limit": 60, "period": "rolling_year"}
    }
    confirm_pending(login, world)
    terms = Agreement.objects.get(id=world.agreement.id).terms
    assert (terms["quota"]["limit"], terms["urgent_notice_hours"]) == (60, 6)


# The diplomatic record -------------------------------------------------------------------------


def contact_post(**overrides: str) -> dict[str, str]:
    return {
        "occurred_on": "2026-02-03",
        "from_country": "US",
        "to_country": "XK",
        "channel": "note",
        "summary": "Proposal for a second list",
        "source": "Note 7/2026",
        **overrides,
    }


def position_post(**overrides: str) -> dict[str, str]:
    return {
        "country": "XK",
        "stated_on": "2026-02-04",
        "stance": "ready",
        "statement": "Kosovo is ready to receive the next group.",
        "source": "Press conference",
        **overrides,
    }


@pytest.mark.parametrize("name", ["agreement_contact_new", "agreement_position_new"])
def test_the_record_forms_are_not_found_for_a_non_party_refused_to_a_caseworker_shown_to_a_liaison(
    login, world, name
):
    assert login("me_liaison").get(url(name, world.agreement)).status_code == 404
    assert login("xk_caseworker").get(url(name, world.agreement)).status_code == 403
    assert login("xk_auditor").get(url(name, world.agreement)).status_code == 403
    assert login("xk_liaison").get(url(name, world.agreement)).status_code == 200


@pytest.mark.parametrize(
    ("name", "data"),
    [("agreement_contact_new", contact_post()), ("agreement_position_new", position_post())],
)
def test_recording_by_a_non_party_or_a_caseworker_writes_nothing(login, world, name, data):
    before = written()
    assert login("me_liaison").post(url(name, world.agreement), data).status_code == 404
    assert login("us_caseworker").post(url(name, world.agreement), data).status_code == 403
    assert written() == before


def test_a_liaison_officer_records_a_contact_shown_on_the_agreement_page(login, world):
    before = audit_rows()
    client = login("us_liaison")
    response = client.post(url("agreement_contact_new", world.agreement), contact_post())
    assert response.status_code == 302
    contact = DiplomaticContact.objects.get(agreement=world.agreement)
    assert (contact.from_country_id, contact.to_country_id, contact.channel) == ("US", "XK", "note")
    assert audit_rows() == before + 1
    assert (
        "Proposal for a second list"
        in client.get(url("agreement", world.agreement)).content.decode()
    )


def test_a_supervisor_records_a_public_position(login, world):
    response = login("xk_supervisor").post(
        url("agreement_position_new", world.agreement), position_post()
    )
    assert response.status_code == 302
    position = PublicPosition.objects.get(agreement=world.agreement)
    assert (position.country_id, position.stance) == ("XK", "ready")


def test_a_contact_without_a_source_is_refused_with_the_input_kept(login, world):
    before = written()
    response = login("us_liaison").post(
        url("agreement_contact_new", world.agreement), contact_post(source="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_source_error"' in page and "Proposal for a second list" in page
    assert written() == before


# Both parties: proposals and notices ------------------------------------------------------------


def test_the_proposing_party_sees_its_proposal_pending_and_cannot_confirm_it(login, world):
    login("xk_supervisor").post(
        url("agreement_amend", world.agreement), amend_post(world.agreement, quota_limit="60")
    )
    proposal = AmendmentProposal.objects.get(agreement=world.agreement)
    decide = reverse("web:agreement_proposal", args=[world.agreement.id, proposal.id])
    panel = login("us_caseworker").get(url("agreement_status", world.agreement)).content.decode()
    assert 'id="pending-amendments"' in panel and "1 amendment of the terms proposed" in panel
    own = login("xk_supervisor").get(url("agreement_terms", world.agreement)).content.decode()
    assert "Withdraw" in own and 'value="confirm"' not in own
    other = login("us_supervisor").get(url("agreement_terms", world.agreement)).content.decode()
    assert 'value="confirm"' in other and 'value="reject"' in other
    before = written()
    assert login("xk_supervisor").post(decide, {"action": "confirm"}).status_code == 403
    assert login("me_supervisor").post(decide, {"action": "confirm"}).status_code == 404
    assert login("us_caseworker").post(decide, {"action": "confirm"}).status_code == 403
    refused = login("us_supervisor").post(decide, {"action": "reject", "reason": ""})
    assert refused.status_code == 422 and "Say why the amendment is rejected." in (
        refused.content.decode()
    )
    assert written() == before
    rejected = login("us_supervisor").post(decide, {"action": "reject", "reason": "cap stays"})
    assert rejected.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision_reason) == (ProposalState.REJECTED, "cap stays")
    page = login("xk_auditor").get(url("agreement_terms", world.agreement)).content.decode()
    assert "cap stays" in page and "Rejected by the other party" in page


def test_notice_of_termination_is_given_and_withdrawn_on_the_status_page(login, world):
    termination = url("agreement_termination", world.agreement)
    before = written()
    assert login("me_supervisor").post(termination, {"action": "give"}).status_code == 404
    assert login("us_caseworker").post(termination, {"action": "give"}).status_code == 403
    empty = login("us_supervisor").post(termination, {"action": "give", "reason": ""})
    assert empty.status_code == 400 and 'id="id_reason_error"' in empty.content.decode()
    assert written() == before
    given = login("us_supervisor").post(
        termination, {"action": "give", "reason": "programme ends", "source": "Note 9/2026"}
    )
    assert given.status_code == 302
    notice = TerminationNotice.objects.get(agreement=world.agreement)
    assert notice.takes_effect_on == clock.today() + dt.timedelta(days=180)
    panel = login("xk_caseworker").get(url("agreement_status", world.agreement)).content.decode()
    assert "Notice of termination given on" in panel and "programme ends" in panel
    other = login("xk_supervisor").post(termination, {"action": "withdraw", "reason": "no"})
    assert other.status_code == 403
    withdrawn = login("us_supervisor").post(
        termination, {"action": "withdraw", "reason": "talks resumed"}
    )
    assert withdrawn.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "withdrawn"
