"""The demo loads the four arrangements of the seed article through the services, once.

The demo is loaded once for this module (inside a transaction rolled back at the end); each
test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import Client, override_settings
from django_otp.oath import TOTP

from readmit.accounts.models import Membership, Organisation, User
from readmit.agreements.models import Agreement, DiplomaticContact, PublicPosition, Site
from readmit.agreements.selectors import quota_status
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import audit_verify
from readmit.cases.models import Case, Deadline, IdentityDocument, Person, QuotaAllocation
from readmit.cases.selectors import case_allowed_actions
from readmit.core import clock
from readmit.demo.load import DEMO_PASSWORD, ORGANISATIONS, DemoLogin, demo_load, format_logins
from readmit.demo.watchlist import VARIANTS, WATCHLIST_SLUG
from readmit.relocation.models import CriteriaEvaluation, ReceptionStay
from readmit.screening.models import (
    AgreementWatchlist,
    ScreeningMatch,
    ScreeningRun,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from readmit.screening.selectors import watchlist_statuses

SELECTED_STATES = ("selected", "transfer_scheduled", "in_reception")


@dataclass
class Loaded:
    logins: list[DemoLogin]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield Loaded(demo_load())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(demo, db):
    return demo


def _cases(reference: str):
    return Case.objects.filter(agreement__reference=reference)


def _states(reference: str) -> Counter[str]:
    return Counter(_cases(reference).values_list("state", flat=True))


def test_the_relocation_list_has_120_people_mostly_of_the_four_nationalities(loaded):
    cases = _cases("us-xk-relocation")
    assert cases.count() == 120
    assert sorted(cases.values_list("external_id", flat=True))[:2] == [
        f"DHS-{clock.today().year}-0001",
        f"DHS-{clock.today().year}-0002",
    ]
    nationalities = Counter(
        Person.objects.filter(cases__in=cases).values_list("nationalities__code", flat=True)
    )
    listed = sum(nationalities[c] for c in ("CU", "HT", "NI", "VE"))
    assert listed >= 110
    assert set(nationalities) - {"CU", "HT", "NI", "VE"}, "some fail nationality_in"


def test_relocation_cases_move_through_the_workflow(loaded):
    states = _states("us-xk-relocation")
    assert states["recommended"] == 12
    assert sum(states[s] for s in SELECTED_STATES) == 8
    assert states["transfer_scheduled"] == 2
    assert states["in_reception"] == 1
    assert states["declined"] == 7
    assert states["withdrawn"] == 2
    held = _cases("us-xk-relocation").get(legal_hold=True)
    assert held.state == "selected"
    reasons = AuditEvent.objects.filter(case_id=held.id, data__action="place_legal_hold")
    assert reasons.get().data["reason"].startswith("Court challenge")


def test_quota_used_equals_the_selected_cases_and_stays_within_50(loaded):
    agreement = Agreement.objects.get(reference="us-xk-relocation")
    status = quota_status(agreement)
    assert status is not None
    selected = _cases("us-xk-relocation").filter(state__in=SELECTED_STATES).count()
    assert status.used == selected == 8
    assert status.used <= status.limit == 50
    assert QuotaAllocation.objects.filter(released_at__isnull=True).count() == 8


def test_kosovos_higher_cap_waits_for_the_united_states_to_confirm_it(loaded):
    from readmit.agreements.selectors import pending_proposals

    agreement = Agreement.objects.get(reference="us-xk-relocation")
    (proposal,) = pending_proposals(agreement)
    assert proposal.proposed_by_organisation.slug == "xk-mia"
    assert proposal.changes == {"quota": {"limit": 60}}
    assert quota_status(agreement).limit == 50  # type: ignore[union-attr]
    terms = agreement.parsed_terms
    assert (terms.termination_notice_days, terms.suspension_grounds) == (
        90,
        ["serious breach of the agreement"],
    )


def test_kosovo_owns_a_watchlist_the_agreement_uses_with_one_version(loaded):
    watchlist = Watchlist.objects.get(slug=WATCHLIST_SLUG)
    assert watchlist.owner.slug == "xk-mia"
    assert "fictional" in watchlist.name
    version = WatchlistVersion.objects.get(watchlist=watchlist)
    assert version.number == 1
    assert 30 <= version.entry_count == WatchlistEntry.objects.filter(version=version).count()
    assert version.entry_count <= 60
    agreement = Agreement.objects.get(reference="us-xk-relocation")
    assert list(
        AgreementWatchlist.objects.filter(agreement=agreement).values_list(
            "watchlist__slug", flat=True
        )
    ) == [WATCHLIST_SLUG]
    rules = [c["rule"] for c in agreement.terms["criteria"]]
    assert "no_watchlist_match" in rules


def test_screening_ran_over_the_whole_list_and_was_reviewed(loaded):
    cases = _cases("us-xk-relocation")
    run = ScreeningRun.objects.get(agreement__reference="us-xk-relocation")
    assert run.status == "done"
    assert run.cases.count() == cases.count() == 120
    matches = ScreeningMatch.objects.filter(run=run)
    assert Counter(matches.values_list("status", flat=True)) == {
        "confirmed": 2,
        "dismissed": 1,
        "pending": 1,
    }
    assert {m.entry.external_id for m in matches} == {v.external_id for v in VARIANTS}
    assert all(m.reason for m in matches.exclude(status="pending"))
    for match in matches.filter(status="confirmed").select_related("case", "entry"):
        assert match.case.state == "declined"
        shared = match.case.data["decision"]["reason"]
        assert "Confirmed match on the Kosovo public-order watchlist" in shared
        # The US reads the reason: the entry stays in Kosovo's internal note.
        assert match.entry.external_id not in shared and match.entry.external_id not in (
            match.reason
        )
        decline = AuditEvent.objects.get(case_id=match.case_id, data__action="decline")
        assert match.entry.external_id in decline.data["internal_note"]
    assert matches.get(status="pending").case.state == "proposed"


def test_every_selected_case_passes_the_watchlist_rule(loaded):
    cases = list(_cases("us-xk-relocation"))
    statuses = watchlist_statuses(cases)
    selected = [c for c in cases if c.state in SELECTED_STATES]
    assert len(selected) == 8
    assert {statuses[c.id] for c in selected} == {"no_match"}
    assert Counter(statuses.values()) == {
        "no_match": 117,
        "confirmed_match": 2,
        "pending_review": 1,
    }
    # The select hook kept a passing evaluation, watchlist rule included, for each of them.
    for case in selected:
        event = AuditEvent.objects.get(case_id=case.id, data__action="select")
        assert event.data["criteria"]["outcome"] == "pass"
        evaluation = CriteriaEvaluation.objects.get(id=event.data["criteria"]["evaluation"])
        outcomes = {r["rule"]: r["outcome"] for r in evaluation.results}
        assert outcomes["no_watchlist_match"] == "pass"
        assert set(outcomes.values()) == {"pass"}


def test_every_relocation_case_shows_its_criteria_and_some_fail(loaded):
    from readmit.relocation.selectors import latest_evaluation

    outcomes = Counter(latest_evaluation(c).outcome for c in _cases("us-xk-relocation"))
    assert sum(outcomes.values()) == 120
    assert outcomes["fail"] > 0
    assert outcomes["pass"] > outcomes["fail"]


def test_a_family_moves_together(loaded):
    groups: dict[str, set[str]] = {}
    for group, state in (
        _cases("us-xk-relocation").exclude(family_group="").values_list("family_group", "state")
    ):
        groups.setdefault(group, set()).add(state)
    assert len(groups) >= 2
    assert all(len(states) == 1 for states in groups.values()), groups


def test_the_list_holds_near_duplicates_for_screening(loaded):
    passports = Counter(
        IdentityDocument.objects.filter(
            type="passport",
            person__cases__agreement__reference="us-xk-relocation",
        ).values_list("number_index", flat=True)  # numbers are encrypted; equal ones index alike
    )
    shared = [number for number, n in passports.items() if n > 1]
    assert len(shared) == 3


def test_readmission_cases_cover_the_workflow_and_live_deadlines(loaded):
    states = _states("us-me-readmission")
    assert sum(states.values()) == 15
    for state in (
        "submitted",
        "acknowledged",
        "interview_requested",
        "accepted",
        "rejected",
        "travel_document_issued",
        "transfer_scheduled",
        "transferred",
    ):
        assert states[state] >= 1, state
    today = clock.today()
    reply = Deadline.objects.filter(
        case__agreement__reference="us-me-readmission", kind="reply", met_at__isnull=True
    )
    # Silence means acceptance under this agreement: the overdue application was deemed
    # accepted by the demo's sweep and its reply limit lapsed.
    lapsed = reply.get(due_on__lt=today)
    assert (lapsed.status, lapsed.case.state) == ("lapsed", "deemed_accepted")
    assert states["deemed_accepted"] == 1
    assert reply.filter(due_on__gte=today, explanation__contains="backdated").count() == 1
    assert reply.filter(extended_at__isnull=False).count() == 1
    assert Deadline.objects.filter(kind="transfer", met_at__isnull=True, due_on__gt=today).exists()
    assert Deadline.objects.filter(kind="interview", due_on__gt=today).exists()
    assert IdentityDocument.objects.filter(flagged_false=True).count() == 1
    cyrillic = Person.objects.get(family_name="Петровић")
    assert cyrillic.family_name_latin == "Petrović"


def test_reception_cases_use_the_sites_and_a_court_stops_one(loaded):
    states = _states("it-al-reception")
    assert sum(states.values()) == 20
    assert {"proposed", "transfer_scheduled", "in_reception", "departed", "declined"} <= set(states)
    sites = Site.objects.filter(agreement__reference="it-al-reception")
    assert dict(sites.values_list("name", "capacity")) == {"Gjadër": 880, "Shëngjin": 144}
    present = ReceptionStay.objects.filter(site__in=sites, ended_at__isnull=True)
    assert present.count() == states["in_reception"] == 6
    held = _cases("it-al-reception").get(legal_hold=True)
    event = AuditEvent.objects.get(case_id=held.id, data__action="place_legal_hold")
    assert "Court of Rome did not validate detention" in event.data["reason"]
    hold = held.legal_holds.get()
    assert (hold.kind, hold.side, hold.organisation.slug) == (
        "detention_not_validated",
        "sending",
        "it-interior",
    )
    assert hold.authority and hold.decided_on is not None
    # The hold blocks removal, not the transfer back the court's decision calls for.
    al_worker = Membership.objects.get(organisation__slug="al-interior", role="caseworker").user
    assert "record_departure" in case_allowed_actions(al_worker, held)
    arrival = AuditEvent.objects.filter(
        data__action="record_arrival", agreement_id=held.agreement_id
    ).first()
    assert arrival is not None


def test_the_diplomatic_record_is_sourced(loaded):
    assert Agreement.objects.get(reference="us-rs-relocation").status == "approached"
    stances = set(PublicPosition.objects.values_list("country_id", "stance"))
    assert {
        ("ME", "no_communication"),
        ("ME", "own_nationals_only"),
        ("US", "no_comment"),
        ("XK", "ready"),
    } <= stances
    assert DiplomaticContact.objects.filter(agreement__reference="us-xk-relocation").count() == 4
    assert all(source for source in PublicPosition.objects.values_list("source", flat=True))
    assert DiplomaticContact.objects.filter(summary__contains="Italian courts").exists()


def test_every_organisation_has_its_logins_and_each_login_authenticates(loaded):
    assert Organisation.objects.count() == len(ORGANISATIONS)
    by_org = Counter(Membership.objects.values_list("organisation__slug", flat=True))
    for spec in ORGANISATIONS:
        assert by_org[spec.slug] == len(spec.roles), spec.slug
    assert by_org["me-consulate-ny"] == 1
    assert len(loaded.logins) == User.objects.count() == 42
    for login in loaded.logins:
        assert login.password == DEMO_PASSWORD
        user = authenticate(username=login.username, password=login.password)
        assert user is not None, login.username
        assert user.memberships.get().role == login.role


def test_each_demo_login_passes_its_second_factor_with_the_printed_secret(loaded):
    """The secret in the login table is what an authenticator app or oathtool is given."""
    for login in loaded.logins[:3]:
        client = Client()
        client.post("/login/", {"username": login.username, "password": login.password})
        code = TOTP(base64.b32decode(login.totp_secret)).token()
        response = client.post("/login/verify/", {"token": f"{code:06d}"})
        assert response.status_code == 302, login.username
        assert client.get("/cases/").status_code in (200, 403), login.username


def test_loading_twice_creates_nothing_twice(loaded):
    models = (
        Organisation,
        User,
        Agreement,
        Person,
        Case,
        Deadline,
        AuditEvent,
        DiplomaticContact,
        PublicPosition,
        Site,
        Watchlist,
        WatchlistVersion,
        WatchlistEntry,
        AgreementWatchlist,
        ScreeningRun,
        ScreeningMatch,
    )
    before = {m.__name__: m.objects.count() for m in models}
    with override_settings(DEBUG=True):
        again = demo_load()
    assert again == loaded.logins
    assert {m.__name__: m.objects.count() for m in models} == before


def test_the_audit_chain_verifies_and_records_the_load_once(loaded):
    count, broken = audit_verify()
    assert broken is None
    assert count == AuditEvent.objects.count() > 500
    assert AuditEvent.objects.filter(event_type=AuditEventType.DEMO_LOADED).count() == 1
    assert AuditEvent.objects.order_by("-seq").first().event_type == AuditEventType.DEMO_LOADED


def test_the_login_table_has_a_header_and_one_line_per_login(loaded):
    lines = format_logins(loaded.logins).splitlines()
    assert len(lines) == len(loaded.logins) + 1
    assert lines[0].split() == [
        "USERNAME",
        "PASSWORD",
        "TOTP_SECRET",
        "ORGANISATION",
        "COUNTRY",
        "ROLE",
    ]
    column = lines[0].index("PASSWORD")
    assert all(line[column:].startswith(DEMO_PASSWORD) for line in lines[1:])
    secrets = lines[0].index("TOTP_SECRET")
    assert all(
        line[secrets:].startswith(login.totp_secret)
        for line, login in zip(lines[1:], loaded.logins, strict=True)
    )
    assert (
        "xk-mia-caseworker"
        in lines[1 + [x.username for x in loaded.logins].index("xk-mia-caseworker")]
    )


def test_the_consular_requests_are_routed_to_new_york_and_washington_and_seen_only_there(
    loaded,
):
    from readmit.accounts.access import visible_cases, visible_consular_requests
    from readmit.consular.models import ConsularRequest

    routed = Counter(ConsularRequest.objects.values_list("routed_to__slug", flat=True))
    assert routed == {"me-consulate-ny": 3, "me-embassy-dc": 2, "me-mfa": 1}
    texas = ConsularRequest.objects.get(routed_to__slug="me-mfa")
    assert texas.residence_region == "US-TX" and "routed to the ministry" in texas.routing_reason
    for slug in ("me-consulate-ny", "me-embassy-dc"):
        liaison = Membership.objects.get(organisation__slug=slug).user
        mine = ConsularRequest.objects.filter(routed_to__slug=slug)
        assert set(visible_consular_requests(liaison)) == set(mine)
        assert set(visible_cases(liaison)) == {r.case for r in mine if r.case is not None}


def test_the_montenegro_demo_cases_carry_travel_documents_a_plan_a_handover_and_a_cost(loaded):
    from readmit.cases.models import TransferCost, TravelDocument
    from readmit.relocation.models import TransferPlan

    issued = Case.objects.get(agreement__reference="us-me-readmission", state="transferred")
    document = TravelDocument.objects.get(case=issued)
    assert document.type == "emergency_travel_document"
    assert document.issuing_mission.slug == "me-consulate-ny"
    assert document.valid_until > clock.today()
    assert TransferPlan.objects.get(case=issued).medical_needs == "none"
    assert issued.data["handover"]["place"].startswith("Podgorica Airport")
    cost = TransferCost.objects.get(case=issued)
    assert (cost.payer, cost.currency, str(cost.amount)) == ("sending", "USD", "1840.00")
    assert (
        TravelDocument.objects.filter(case__agreement__reference="us-me-readmission").count() == 2
    )


def test_the_montenegro_agreement_has_the_normal_and_the_accelerated_reply_limit(loaded):
    limits = Agreement.objects.get(reference="us-me-readmission").parsed_terms.time_limits
    assert (limits["reply"].amount, limits["reply"].unit) == (12, "calendar_days")
    reply_accelerated = limits["reply_accelerated"]
    assert (reply_accelerated.amount, reply_accelerated.unit) == (2, "working_days")


def test_the_montenegro_applications_carry_evidence_weighed_and_the_rejection_no_proof(loaded):
    cases = _cases("us-me-readmission")
    effects = Counter(c.data.get("evidence", {}).get("effect") for c in cases)
    assert effects["nationality_established"] >= 5 and effects["presumed"] >= 1
    rejected = cases.get(state="rejected")
    assert rejected.data["evidence"]["effect"] == "presumed"
    assert rejected.evidence_items.get().kind == "own_statement"
