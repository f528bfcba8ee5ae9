"""Time zones (issue #8, finding 11): a time typed on a page is read in the user's zone and
stored in UTC; pages name the zone; transfer plans and stays show both parties' local times;
each user sets their own zone and an administrator their organisation's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from readmit.accounts.models import Organisation, User
from readmit.accounts.services import user_set_time_zone
from readmit.agreements.models import AmendmentProposal
from readmit.agreements.services import site_create
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core.errors import Forbidden
from readmit.relocation.models import TransferPlan
from tests.factories import SYSTEM, audit_rows
from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload
from tests.web.test_agreement_management import amend_post

UTC = dt.UTC


def scheduled_case(world):  # type: ignore[no-untyped-def]
    case = submit(world, kosovo(world), [person()]).cases[0]
    select(world, case)
    return Case.objects.get(id=case.id)


def schedule_on_the_page(client, case: Case, planned_for: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/cases/{case.id}/transitions/",
        {
            "action": "schedule_transfer",
            "version": case.version,
            "payload-planned_for": planned_for,
            "payload-route": "Washington Dulles → Prishtina, charter",
            "payload-notice_language": "es",
        },
    )


def written() -> tuple[int, int]:
    return TransferPlan.objects.count(), audit_rows()


# Reading typed times ------------------------------------------------------------------------


def test_a_transfer_typed_for_0900_in_washington_in_winter_is_stored_as_1400_utc(login, world):
    case = scheduled_case(world)
    response = schedule_on_the_page(login("us_caseworker"), case, "2027-01-15T09:00")
    assert response.status_code == 302
    plan = TransferPlan.objects.get(case=case)
    assert plan.planned_for == dt.datetime(2027, 1, 15, 14, 0, tzinfo=UTC)


def test_a_transfer_typed_for_0900_in_washington_in_summer_is_stored_as_1300_utc(login, world):
    case = scheduled_case(world)
    response = schedule_on_the_page(login("us_caseworker"), case, "2027-07-15T09:00")
    assert response.status_code == 302
    plan = TransferPlan.objects.get(case=case)
    assert plan.planned_for == dt.datetime(2027, 7, 15, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2027-03-14T02:30", "does not exist in America/New_York"),  # clocks spring forward
        ("2027-11-07T01:30", "happens twice in America/New_York"),  # clocks go back
    ],
)
def test_a_local_time_the_clocks_skip_or_repeat_is_refused_naming_the_field(
    login, world, typed, why
):
    case = scheduled_case(world)
    before = written()
    response = schedule_on_the_page(login("us_caseworker"), case, typed)
    assert response.status_code == 422
    page = response.content.decode()
    assert "planned_for" in page and why in page
    assert f'value="{typed}"' in page  # what was typed is kept
    assert written() == before
    assert Case.objects.get(id=case.id).state == "selected"


def test_a_user_who_chose_their_own_zone_types_times_in_it(login, world):
    user = world.user("us_caseworker")
    user_set_time_zone(user=user, time_zone="Europe/Rome", acting_user=user)
    case = scheduled_case(world)
    assert schedule_on_the_page(login("us_caseworker"), case, "2027-01-15T09:00").status_code == 302
    assert TransferPlan.objects.get(case=case).planned_for == dt.datetime(
        2027, 1, 15, 8, 0, tzinfo=UTC
    )


def test_the_form_names_the_zone_its_times_are_read_in(login, world):
    case = scheduled_case(world)
    page = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert 'name="payload-planned_for"' in page
    assert "local time, in America/New_York" in page


def test_the_amendment_form_reads_valid_from_in_the_users_zone_and_says_so(login, world):
    client = login("xk_supervisor")
    form = client.get(reverse("web:agreement_amend", args=[world.agreement.id]))
    assert "Valid from (in Europe/Belgrade)" in form.content.decode()
    response = client.post(
        reverse("web:agreement_amend", args=[world.agreement.id]),
        amend_post(world.agreement, quota_limit="60", valid_from="2027-01-15T09:00"),
    )
    assert response.status_code == 302
    # A proposal now (the other party confirms it); its date is read in the proposer's zone.
    proposal = AmendmentProposal.objects.get(agreement=world.agreement)
    assert proposal.valid_from == dt.datetime(2027, 1, 15, 8, 0, tzinfo=UTC)


# Showing stored times -----------------------------------------------------------------------


def test_the_transfer_plan_shows_each_partys_local_time_first_the_readers(login, world):
    case = scheduled_case(world)
    schedule_on_the_page(login("us_caseworker"), case, "2027-01-15T09:00")
    us_page = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert (
        '<dd id="transfer-planned-for">2027-01-15 09:00 America/New_York '
        "(2027-01-15 15:00 Europe/Belgrade, XK)" in us_page
    )
    xk_page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert (
        '<dd id="transfer-planned-for">2027-01-15 15:00 Europe/Belgrade '
        "(2027-01-15 09:00 America/New_York, US)" in xk_page
    )
    assert "Times in <a" in xk_page and "Europe/Belgrade</a>" in xk_page


def test_the_stay_shows_its_arrival_in_each_partys_local_time(login, world):
    case = scheduled_case(world)
    site = site_create(
        agreement=case.agreement,
        name="Reception centre Prishtina",
        country_code="XK",
        capacity=10,
        acting_user=SYSTEM,
    )
    act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    arrival = {"site": str(site.id), "arrived_at": "2026-11-30T16:00:00+01:00"}
    act(case, "record_arrival", world.user("xk_caseworker"), payload=arrival)
    xk_page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert (
        '<dd id="stay-arrived-at">2026-11-30 16:00 Europe/Belgrade '
        "(2026-11-30 10:00 America/New_York, US)</dd>" in xk_page
    )


# Setting zones ------------------------------------------------------------------------------


def test_a_user_sets_their_own_zone_on_the_profile_page_audited(login, world):
    client = login("us_caseworker")
    response = client.post(reverse("web:profile"), {"time_zone": "America/Chicago"})
    assert response.status_code == 302
    user = User.objects.get(pk=world.user("us_caseworker").pk)
    assert user.time_zone == "America/Chicago"
    event = AuditEvent.objects.filter(event_type=AuditEventType.USER_TIME_ZONE_CHANGED).get()
    assert event.data == {"from": "", "to": "America/Chicago"}
    assert event.actor_username == user.username
    assert "America/Chicago" in client.get(reverse("web:profile")).content.decode()


def test_an_unknown_zone_name_is_refused_naming_the_field_and_nothing_is_written(login, world):
    before = audit_rows()
    response = login("us_caseworker").post(reverse("web:profile"), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_time_zone_error"' in page and "not a known IANA time zone" in page
    assert User.objects.get(pk=world.user("us_caseworker").pk).time_zone == ""
    assert audit_rows() == before


def test_a_user_changes_only_their_own_zone(world):
    with pytest.raises(Forbidden):
        user_set_time_zone(
            user=world.user("us_caseworker"),
            time_zone="Asia/Tokyo",
            acting_user=world.user("us_administrator"),
        )
    assert User.objects.get(pk=world.user("us_caseworker").pk).time_zone == ""


def org_zone_url(org: Organisation) -> str:
    return reverse("web:organisation_time_zone", args=[org.id])


def test_an_administrator_sets_their_organisations_zone_and_its_members_follow_it(login, world):
    response = login("us_administrator").post(
        org_zone_url(world.us), {"time_zone": "America/Los_Angeles"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(id=world.us.id).time_zone == "America/Los_Angeles"
    event = AuditEvent.objects.get(event_type=AuditEventType.ORGANISATION_TIME_ZONE_CHANGED)
    assert event.data == {"from": "America/New_York", "to": "America/Los_Angeles"}
    assert event.organisation_id == world.us.id
    page = login("us_caseworker").get(reverse("web:profile")).content.decode()
    assert '<strong id="current-zone">America/Los_Angeles</strong>' in page


def test_another_organisations_administrator_cannot_find_its_zone_form(login, world):
    response = login("xk_administrator").post(org_zone_url(world.us), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 404
    assert Organisation.objects.get(id=world.us.id).time_zone == "America/New_York"


def test_a_member_who_is_not_an_administrator_may_not_set_the_organisations_zone(login, world):
    before = audit_rows()
    response = login("us_supervisor").post(org_zone_url(world.us), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 403
    assert Organisation.objects.get(id=world.us.id).time_zone == "America/New_York"
    assert audit_rows() == before


def test_an_organisation_cannot_be_given_an_unknown_or_empty_zone(login, world):
    client = login("us_administrator")
    for typed in ("Europe/Atlantis", ""):
        response = client.post(org_zone_url(world.us), {"time_zone": typed})
        assert response.status_code == 422
        assert 'id="id_time_zone_error"' in response.content.decode()
    assert Organisation.objects.get(id=world.us.id).time_zone == "America/New_York"
