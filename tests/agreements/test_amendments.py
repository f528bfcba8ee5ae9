"""Amendments are versions of the terms; every moment has the terms that were in force then."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from readmit.agreements.models import Agreement, AgreementVersion
from readmit.agreements.selectors import (
    agreement_versions,
    current_terms,
    quota_status,
    terms_at,
)
from readmit.agreements.services import (
    agreement_amend,
    agreement_set_status,
    agreement_terms_refresh,
    agreement_terms_refresh_due,
    terms_diff,
)
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed

UTC = dt.UTC
RAISED = {"quota": {"limit": 60, "period": "rolling_year"}}


def amend(
    world,
    agreement: Agreement,
    terms=None,
    *,
    valid_from: dt.datetime | None = None,
    user: str = "xk_supervisor",
    reason: str = "cap raised by mutual consent",
):
    return agreement_amend(
        agreement=agreement,
        terms=terms if terms is not None else RAISED,
        valid_from=valid_from or clock.now(),
        reason=reason,
        source="Exchange of notes",
        acting_user=world.user(user),
    )


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
    assert second.recorded_by == world.user("xk_supervisor")
    assert second.source == "Exchange of notes"


def test_a_current_amendment_becomes_the_agreements_terms_and_is_audited_with_a_diff(world):
    before_audit, _ = written()
    amend(world, world.agreement)
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota is not None
    assert world.agreement.parsed_terms.quota.limit == 60
    event = AuditEvent.objects.get(seq=before_audit + 1)
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
    moment = clock.now()
    amend(world, world.agreement, valid_from=moment)
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
    assert AuditEvent.objects.last().data["current"] is False  # type: ignore[union-attr]
    assert agreement_terms_refresh(agreement=world.agreement) is False

    monkeypatch.setattr(clock, "now", lambda: later + dt.timedelta(seconds=1))
    assert current_terms(world.agreement).quota.limit == 60  # type: ignore[union-attr]
    before_audit, _ = written()
    assert agreement_terms_refresh_due() == 1
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota.limit == 60  # type: ignore[union-attr]
    event = AuditEvent.objects.get(seq=before_audit + 1)
    assert event.data["took_effect"] is True and event.object_id == str(version.id)
    assert agreement_terms_refresh_due() == 0


@pytest.mark.parametrize(
    ("terms", "loc"),
    [
        ({"quota": {"limit": -5}}, ["terms", "quota", "limit"]),
        ({"quota": {"limit": 60, "period": "fortnight"}}, ["terms", "quota", "period"]),
        (
            {"criteria": [{"rule": "age_between", "params": {"min": 70, "max": 18}}]},
            ["terms", "criteria", "0", "params"],
        ),
        ({"quota_limit": 60}, ["terms", "quota_limit"]),
    ],
)
def test_invalid_terms_are_refused_naming_the_field_and_nothing_is_written(world, terms, loc):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        amend(world, world.agreement, terms)
    assert refused.value.errors[0]["loc"] == loc
    assert written() == before
    world.agreement.refresh_from_db()
    assert world.agreement.parsed_terms.quota.limit == 50  # type: ignore[union-attr]


def test_an_amendment_that_changes_nothing_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        amend(world, world.agreement, dict(world.agreement.terms))
    assert refused.value.errors[0]["loc"] == ["terms"]


def test_an_amendment_needs_a_reason(world):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        amend(world, world.agreement, reason="")
    assert refused.value.errors[0]["loc"] == ["reason"]
    assert written() == before


def test_an_amendment_cannot_take_effect_before_the_latest_version(world):
    amend(world, world.agreement, valid_from=clock.now() + dt.timedelta(days=10))
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        amend(world, world.agreement, {"quota": {"limit": 80}})
    assert refused.value.errors[0]["loc"] == ["valid_from"]
    assert written() == before


def test_a_naive_valid_from_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        amend(world, world.agreement, valid_from=dt.datetime(2026, 5, 1))
    assert refused.value.errors[0]["loc"] == ["valid_from"]


def test_an_ended_agreement_cannot_be_amended(world):
    agreement_set_status(
        agreement=world.agreement,
        status="ended",
        on=dt.date(2026, 6, 1),
        source="note",
        reason="denounced",
        acting_user=world.user("us_supervisor"),
    )
    before = written()
    with pytest.raises(TransitionRefused) as refused:
        amend(world, world.agreement)
    assert refused.value.rule == "agreement-lifecycle"
    assert written() == before


def test_a_non_party_cannot_amend_and_a_party_supervisor_can(world):
    before = written()
    with pytest.raises(NotFound):
        amend(world, world.agreement, user="me_supervisor")
    assert written() == before
    assert amend(world, world.agreement, user="us_supervisor").number == 2


@pytest.mark.parametrize("role", ["caseworker", "liaison", "auditor"])
def test_only_a_supervisor_or_administrator_may_amend(world, role):
    before = written()
    with pytest.raises(Forbidden) as refused:
        amend(world, world.agreement, user=f"xk_{role}")
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
