"""Amendments are versions of the terms; every moment has the terms that were in force then."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from readmit.agreements.models import (
    Agreement,
    AgreementVersion,
    AmendmentProposal,
    ProposalState,
)
from readmit.agreements.selectors import (
    agreement_versions,
    current_terms,
    quota_status,
    terms_at,
)
from readmit.agreements.services import (
    agreement_terms_refresh,
    agreement_terms_refresh_due,
    amendment_confirm,
    amendment_propose,
    amendment_reject,
    amendment_withdraw,
    merge_changes,
    termination_notice_give,
    termination_notices_due,
    terms_diff,
)
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from tests.factories import SYSTEM, make_agreement

TERMS_REFRESH = SystemActor("terms refresh")

UTC = dt.UTC
RAISED = {"quota": {"limit": 60, "period": "rolling_year"}}


def propose(
    world,
    agreement: Agreement,
    changes=None,
    *,
    valid_from: dt.datetime | None = None,
    user: str = "xk_supervisor",
    reason: str = "cap raised by mutual consent",
) -> AmendmentProposal:
    return amendment_propose(
        agreement=agreement,
        changes=changes if changes is not None else RAISED,
        valid_from=valid_from or clock.now(),
        reason=reason,
        source="Exchange of notes",
        acting_user=world.user(user),
    )


def amend(world, agreement: Agreement, changes=None, *, user: str = "xk_supervisor", **kwargs):
    """Proposed by ``user``'s side, confirmed by the other side's supervisor: the version."""
    proposal = propose(world, agreement, changes, user=user, **kwargs)
    other = "us_supervisor" if user.startswith("xk") else "xk_supervisor"
    confirmed = amendment_confirm(proposal=proposal, acting_user=world.user(other))
    assert confirmed.version is not None
    return confirmed.version


def written() -> tuple[int, int]:
    return AuditEvent.objects.count(), AgreementVersion.objects.count()


def test_every_new_agreement_has_version_one_with_its_terms(world):
    versions = list(agreement_versions(world.agreement))
    assert [v.number for v in versions] == [1]
    assert versions[0].terms == world.agreement.terms
    assert versions[0].valid_from == world.agreement.created_at


def test_amendments_are_numbered_one_after_the_other(world):
    second = amend(world, world.agreement)
    third = amend(world, world.agreement, {"quota": {"limit": 70}})
    assert (second.number, third.number) == (2, 3)
    assert [v.number for v in agreement_versions(world.agreement)] == [1, 2, 3]
    assert second.recorded_by == world.user("us_supervisor")  # who confirmed it
    assert second.proposal.proposed_by == world.user("xk_supervisor")
    assert second.source == "Exchange of notes"


def test_a_current_amendment_becomes_the_agreements_terms_and_is_audited_with_a_diff(world):
    before_audit, _ = written()
    amend(world, world.agreement)
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota is not None
    assert world.agreement.parsed_terms.quota.limit == 60
    event = AuditEvent.objects.get(seq=before_audit + 2)  # after the proposal's event
    assert event.event_type == AuditEventType.AGREEMENT_SETTINGS_CHANGED
    assert event.data["changes"] == {"quota.limit": {"from": 50, "to": 60}}
    assert event.data["summary"] == "quota.limit 50→60: cap raised by mutual consent"
    assert event.data["version"] == 2 and event.data["current"] is True


def test_the_raised_cap_shows_in_the_quota_once_it_is_current(world):
    status = quota_status(world.agreement)
    assert status is not None and status.limit == 50
    amend(world, world.agreement)
    world.agreement.refresh_from_db()
    status = quota_status(world.agreement)
    assert status is not None and (status.limit, status.remaining) == (60, 60)


def test_terms_before_an_amendments_valid_from_are_the_earlier_ones(world):
    moment = amend(world, world.agreement).valid_from
    before = terms_at(world.agreement, moment - dt.timedelta(microseconds=1))
    at = terms_at(world.agreement, moment)
    assert before.quota is not None and before.quota.limit == 50
    assert at.quota is not None and at.quota.limit == 60


def test_a_moment_before_version_one_was_recorded_has_version_ones_terms(world):
    long_ago = dt.datetime(2000, 1, 1, tzinfo=UTC)
    assert terms_at(world.agreement, long_ago) == world.agreement.parsed_terms


def test_a_quota_on_a_past_day_shows_the_cap_that_applied_that_day(world):
    yesterday = clock.today() - dt.timedelta(days=1)
    amend(world, world.agreement)
    world.agreement.refresh_from_db()
    past = quota_status(world.agreement, day=yesterday)
    assert past is not None and past.limit == 50


def test_a_future_amendment_waits_for_its_time_then_the_sweep_makes_it_current(world, monkeypatch):
    start = clock.now()
    later = start + dt.timedelta(days=30)
    version = amend(world, world.agreement, valid_from=later)
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota.limit == 50  # type: ignore[union-attr]
    assert current_terms(world.agreement).quota.limit == 50  # type: ignore[union-attr]
    assert terms_at(world.agreement, later).quota.limit == 60  # type: ignore[union-attr]
    settings_changed = AuditEvent.objects.filter(
        event_type=AuditEventType.AGREEMENT_SETTINGS_CHANGED
    ).last()
    assert settings_changed is not None and settings_changed.data["current"] is False
    assert agreement_terms_refresh(agreement=world.agreement, acting_user=TERMS_REFRESH) is False

    monkeypatch.setattr(clock, "now", lambda: later + dt.timedelta(seconds=1))
    assert current_terms(world.agreement).quota.limit == 60  # type: ignore[union-attr]
    before_audit, _ = written()
    assert agreement_terms_refresh_due(acting_user=TERMS_REFRESH) == 1
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota.limit == 60  # type: ignore[union-attr]
    event = AuditEvent.objects.get(seq=before_audit + 1)
    assert event.data["took_effect"] is True and event.object_id == str(version.id)
    assert agreement_terms_refresh_due(acting_user=TERMS_REFRESH) == 0


@pytest.mark.parametrize(
    ("terms", "loc"),
    [
        ({"quota": {"limit": -5}}, ["changes", "quota", "limit"]),
        ({"quota": {"limit": 60, "period": "fortnight"}}, ["changes", "quota", "period"]),
        (
            {"criteria": [{"rule": "age_between", "params": {"min": 70, "max": 18}}]},
            ["changes", "criteria", "0", "params"],
        ),
        ({"quota_limit": 60}, ["changes", "quota_limit"]),
        ({}, ["changes"]),
    ],
)
def test_invalid_terms_are_refused_naming_the_field_and_nothing_is_written(world, terms, loc):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        propose(world, world.agreement, terms)
    assert refused.value.errors[0]["loc"] == loc
    assert written() == before
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota.limit == 50  # type: ignore[union-attr]


def test_an_amendment_that_changes_nothing_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        propose(world, world.agreement, dict(world.agreement.terms))
    assert refused.value.errors[0]["loc"] == ["changes"]


def test_an_amendment_needs_a_reason(world):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        propose(world, world.agreement, reason="")
    assert refused.value.errors[0]["loc"] == ["reason"]
    assert written() == before


def test_an_amendment_cannot_take_effect_before_the_latest_version(world):
    amend(world, world.agreement, valid_from=clock.now() + dt.timedelta(days=10))
    proposal = propose(world, world.agreement, {"quota": {"limit": 80}})
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    assert refused.value.errors[0]["loc"] == ["valid_from"]
    assert written() == before


def test_a_naive_valid_from_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        propose(world, world.agreement, valid_from=dt.datetime(2026, 5, 1))
    assert refused.value.errors[0]["loc"] == ["valid_from"]


def test_an_ended_agreement_cannot_be_amended(world):
    pending = propose(world, world.agreement)
    notice = termination_notice_give(
        agreement=world.agreement,
        reason="denounced",
        source="note",
        acting_user=world.user("us_supervisor"),
    )
    assert termination_notices_due(today=notice.takes_effect_on) == 1
    before = written()
    with pytest.raises(TransitionRefused) as refused:
        propose(world, world.agreement)
    assert refused.value.rule == "agreement-lifecycle"
    with pytest.raises(TransitionRefused) as refused:
        amendment_confirm(proposal=pending, acting_user=world.user("us_supervisor"))
    assert refused.value.rule == "agreement-lifecycle"
    assert written() == before


def test_a_non_party_cannot_amend_and_a_party_supervisor_can(world):
    before = written()
    with pytest.raises(NotFound):
        propose(world, world.agreement, user="me_supervisor")
    assert written() == before
    assert amend(world, world.agreement, user="us_supervisor").number == 2


@pytest.mark.parametrize("role", ["caseworker", "liaison", "auditor"])
def test_only_a_supervisor_or_administrator_may_amend(world, role):
    before = written()
    with pytest.raises(Forbidden) as refused:
        propose(world, world.agreement, user=f"xk_{role}")
    assert refused.value.type == "wrong-role"
    assert written() == before
    assert amend(world, world.agreement, user="xk_administrator").number == 2


def test_terms_at_needs_a_timezone_aware_moment(world):
    with pytest.raises(ValueError, match="timezone-aware"):
        terms_at(world.agreement, dt.datetime(2026, 5, 1))


def test_the_diff_names_each_changed_setting_by_its_path():
    old = {"quota": {"limit": 50, "period": "rolling_year"}, "notice_hours": 24}
    new = {
        "quota": {"limit": 60, "period": "rolling_year"},
        "notice_hours": None,
        "max_stay_days": 365,
    }
    assert terms_diff(old, new) == {
        "max_stay_days": {"from": None, "to": 365},
        "notice_hours": {"from": 24, "to": None},
        "quota.limit": {"from": 50, "to": 60},
    }


def test_the_data_migration_gives_existing_agreements_their_version_one(world):
    migration = importlib.import_module(
        "readmit.agreements.migrations.0002_versions_and_status_history"
    )
    AgreementVersion.objects.filter(agreement=world.agreement).delete()
    migration.create_first_versions(apps, None)
    migration.create_first_versions(apps, None)  # twice: nothing is created twice
    versions = list(agreement_versions(world.agreement))
    assert [v.number for v in versions] == [1]
    assert versions[0].terms == world.agreement.terms
    assert versions[0].valid_from == world.agreement.created_at


def test_the_diplomatic_record_is_written_only_by_liaison_supervisors_and_administrators(world):
    import datetime as dt

    from readmit.agreements.models import DiplomaticContact
    from readmit.agreements.services import contact_record
    from readmit.audit.models import AuditEvent
    from readmit.core.errors import Forbidden, NotFound, ValidationFailed

    record = {
        "agreement": world.agreement,
        "occurred_on": dt.date(2026, 5, 1),
        "from_country": "US",
        "to_country": "XK",
        "channel": "note",
        "summary": "Proposal presented.",
        "source": "fictional note 1",
    }
    before = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        contact_record(**record, acting_user=world.user("xk_caseworker"))
    with pytest.raises(NotFound):
        contact_record(**record, acting_user=world.user("me_liaison"))
    with pytest.raises(ValidationFailed) as refused:
        contact_record(
            **{**record, "source": " ", "to_country": "QQ"}, acting_user=world.user("xk_liaison")
        )
    assert {e["loc"][0] for e in refused.value.errors} == {"source", "to_country"}
    assert AuditEvent.objects.count() == before
    contact_record(**record, acting_user=world.user("xk_liaison"))
    assert DiplomaticContact.objects.filter(agreement=world.agreement).count() == 1


# Bilateral changes (issue #8, findings 10 and 13) ----------------------------------------------

SAFEGUARDED = {
    "quota": {"limit": 50, "period": "rolling_year"},
    "capacity": {"max_present": 40, "max_per_year": 400},
    "criteria": [{"rule": "age_between", "params": {"min": 18}}],
    "exclusions": {"minors": True, "pregnant": True, "vulnerable": True},
}


def test_a_proposed_amendment_is_not_in_force_until_the_other_party_confirms(world):
    """Finding 10: Kosovo's supervisor raises the quota from 50 to 60; the limit stays 50
    until the US confirms."""
    proposal = propose(world, world.agreement)
    world.agreement.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    assert [v.number for v in agreement_versions(world.agreement)] == [1]
    assert quota_status(world.agreement).limit == 50  # type: ignore[union-attr]
    assert AuditEvent.objects.last().event_type == AuditEventType.AMENDMENT_PROPOSED  # type: ignore[union-attr]
    confirmed = amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    world.agreement.refresh_from_db()
    assert confirmed.state == ProposalState.CONFIRMED
    assert confirmed.decided_by == world.user("us_supervisor")
    assert confirmed.version is not None and confirmed.version.number == 2
    assert quota_status(world.agreement).limit == 60  # type: ignore[union-attr]
    assert AuditEvent.objects.last().event_type == AuditEventType.AMENDMENT_CONFIRMED  # type: ignore[union-attr]


@pytest.mark.parametrize("user", ["xk_supervisor", "xk_administrator"])
def test_the_proposing_side_cannot_confirm_its_own_amendment(world, user):
    proposal = propose(world, world.agreement)
    before = written()
    with pytest.raises(Forbidden) as refused:
        amendment_confirm(proposal=proposal, acting_user=world.user(user))
    assert refused.value.type == "wrong-party"
    assert written() == before
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING


def test_confirming_needs_a_party_supervisor_a_caseworker_is_refused_a_third_state_not_found(
    world,
):
    proposal = propose(world, world.agreement)
    before = written()
    with pytest.raises(NotFound):
        amendment_confirm(proposal=proposal, acting_user=world.user("me_supervisor"))
    with pytest.raises(NotFound):
        amendment_confirm(proposal="not-an-id", acting_user=world.user("us_supervisor"))
    with pytest.raises(Forbidden) as refused:
        amendment_confirm(proposal=proposal, acting_user=world.user("us_caseworker"))
    assert refused.value.type == "wrong-role"
    assert written() == before


def test_an_amendment_naming_only_the_quota_keeps_the_criteria_exclusions_and_capacity(world):
    """Finding 13: the docs/api.md example sends only `quota`; the rest of the terms stay."""
    agreement = make_agreement(world.us, world.xk, terms=SAFEGUARDED)
    version = amend(world, agreement, {"quota": {"limit": 60}})
    terms = version.parsed_terms
    assert terms.quota is not None and (terms.quota.limit, terms.quota.period) == (
        60,
        "rolling_year",
    )
    assert terms.capacity is not None and terms.capacity.max_present == 40
    assert [c.rule for c in terms.criteria] == ["age_between"]
    assert (terms.exclusions.minors, terms.exclusions.pregnant, terms.exclusions.vulnerable) == (
        True,
        True,
        True,
    )
    assert terms_diff(agreement.terms, version.terms) == {"quota.limit": {"from": 50, "to": 60}}


def test_merging_replaces_lists_and_values_and_keeps_every_key_not_named():
    base = {"quota": {"limit": 50, "period": "calendar_year"}, "criteria": [1, 2], "x": 1}
    assert merge_changes(base, {"quota": {"limit": 60}, "criteria": []}) == {
        "quota": {"limit": 60, "period": "calendar_year"},
        "criteria": [],
        "x": 1,
    }
    assert merge_changes(base, {"quota": None})["quota"] is None
    assert base["quota"] == {"limit": 50, "period": "calendar_year"}  # not changed in place


@pytest.mark.parametrize(
    ("valid_from", "message"),
    [
        (dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "cannot be after"),
        (dt.datetime(2000, 1, 1, tzinfo=UTC), "cannot be before 2026-01-01"),
    ],
)
def test_an_amendment_dated_centuries_ahead_or_before_the_agreement_is_refused(
    world, valid_from, message
):
    """Finding 13: an amendment dated 9999 was accepted and blocked every later one."""
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        propose(world, world.agreement, valid_from=valid_from)
    assert refused.value.errors[0]["loc"] == ["valid_from"]
    assert message in refused.value.errors[0]["msg"]
    assert written() == before
    assert propose(world, world.agreement, valid_from=clock.now() + dt.timedelta(days=4 * 365))


def test_a_date_already_past_at_confirmation_takes_effect_then_never_earlier(world, monkeypatch):
    proposed_for = clock.now()
    proposal = propose(world, world.agreement, valid_from=proposed_for)
    later = proposed_for + dt.timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    confirmed = amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    assert confirmed.version is not None and confirmed.version.valid_from == later
    assert terms_at(world.agreement, later - dt.timedelta(days=1)).quota.limit == 50  # type: ignore[union-attr]


def test_a_pending_amendment_is_withdrawn_by_its_proposer_and_rejected_by_the_other_party(world):
    proposal = propose(world, world.agreement)
    before = written()
    with pytest.raises(Forbidden) as refused:  # the other side rejects, it does not withdraw
        amendment_withdraw(proposal=proposal, acting_user=world.user("us_supervisor"))
    assert refused.value.type == "wrong-party"
    with pytest.raises(Forbidden):  # the proposer withdraws, it does not reject
        amendment_reject(proposal=proposal, reason="no", acting_user=world.user("xk_supervisor"))
    with pytest.raises(ValidationFailed) as no_reason:
        amendment_reject(proposal=proposal, reason=" ", acting_user=world.user("us_supervisor"))
    assert no_reason.value.errors[0]["loc"] == ["reason"]
    assert written() == before
    withdrawn = amendment_withdraw(proposal=proposal, acting_user=world.user("xk_administrator"))
    assert withdrawn.state == ProposalState.WITHDRAWN
    assert AuditEvent.objects.last().event_type == AuditEventType.AMENDMENT_WITHDRAWN  # type: ignore[union-attr]
    with pytest.raises(TransitionRefused) as closed:
        amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    assert closed.value.rule == "amendment-not-pending"

    second = propose(world, world.agreement)
    rejected = amendment_reject(
        proposal=second, reason="the cap stays", acting_user=world.user("us_supervisor")
    )
    assert (rejected.state, rejected.decision_reason) == (ProposalState.REJECTED, "the cap stays")
    event = AuditEvent.objects.last()
    assert event is not None and event.event_type == AuditEventType.AMENDMENT_REJECTED
    assert event.data["reason"] == "the cap stays"
    assert [v.number for v in agreement_versions(world.agreement)] == [1]


def test_a_quota_below_the_places_already_used_is_refused_naming_them(world):
    """Finding 10: a cap cannot be lowered below the places already taken."""
    from tests.relocation.conftest import person, select, submit

    agreement = make_agreement(world.us, world.xk, terms=SAFEGUARDED)
    for case in submit(world, agreement, [person(), person()]).cases:
        select(world, case)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        propose(world, agreement, {"quota": {"limit": 1}})
    assert refused.value.errors == [
        {
            "loc": ["changes", "quota", "limit"],
            "msg": "cannot be below the 2 places already used in the current period",
        }
    ]
    assert "2 places already used" in refused.value.message
    assert written() == before
    assert propose(world, agreement, {"quota": {"limit": 2}}).state == ProposalState.PENDING


def test_a_capacity_below_the_people_present_is_refused_also_at_confirmation(world):
    from readmit.agreements.services import site_create
    from tests.relocation.conftest import person, submit, to_reception

    agreement = make_agreement(world.us, world.xk, terms=SAFEGUARDED)
    site = site_create(
        agreement=agreement, name="A", country_code="XK", capacity=5, acting_user=SYSTEM
    )
    first, second = submit(world, agreement, [person(), person()]).cases
    to_reception(world, first, site)
    proposal = propose(world, agreement, {"capacity": {"max_present": 1, "max_per_year": 1}})
    to_reception(world, second, site)  # meanwhile a second person arrived
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    assert [e["loc"] for e in refused.value.errors] == [
        ["changes", "capacity", "max_present"],
        ["changes", "capacity", "max_per_year"],
    ]
    assert "2 people present now" in refused.value.errors[0]["msg"]
    assert written() == before
