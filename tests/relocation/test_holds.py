"""Legal holds with authority (issue #8, findings 5 and 6): a hold records who decided it and
who placed it; only the placing side's supervisor lifts it, or either side recording the
court decision that lifts it; the other party reads the lift in the history; a hold blocks
removal, never the transfer back or release a court ordered."""

from __future__ import annotations

import pytest

from readmit.agreements.services import site_create
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core.errors import Forbidden, TransitionRefused, ValidationFailed
from readmit.relocation.models import LegalHold, ReceptionStay
from readmit.relocation.services import stay_record_return_plan
from tests.exchange.conftest import Api
from tests.factories import SYSTEM, make_agreement, make_case
from tests.relocation.conftest import act, person, submit, to_reception

PLACER = {"sending": "us", "receiving": "xk"}
OTHER = {"sending": "xk", "receiving": "us"}


def hold(kind: str = "interim_measure", **changes: str) -> dict[str, str]:
    return {
        "kind": kind,
        "authority": "European Court of Human Rights",
        "reference": "Rule 39, application 1234/26",
        "decided_on": "2024-03-01",
        **changes,
    }


def snapshot(case: Case) -> tuple[object, ...]:
    case.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        LegalHold.objects.filter(lifted_at__isnull=True).count(),
        ReceptionStay.objects.filter(ended_at__isnull=True).count(),
        case.version,
        case.state,
        case.legal_hold,
    )


@pytest.fixture
def api(client) -> Api:  # type: ignore[no-untyped-def]
    return Api(client)


@pytest.fixture
def reception(world):  # type: ignore[no-untyped-def]
    """Italy → Albania style: the sending state (us) sends to the partner's site (xk)."""
    agreement = make_agreement(
        world.us, world.xk, kind="reception", terms={"capacity": {"max_present": 100}}
    )
    site = site_create(
        agreement=agreement, name="Gjadër", country_code="AL", capacity=10, acting_user=SYSTEM
    )
    return agreement, site


def held_in_reception(world, reception, *, side: str = "sending", kind: str = "interim_measure"):
    agreement, site = reception
    case = submit(world, agreement, [person()]).cases[0]
    to_reception(world, case, site)
    act(
        case,
        "place_legal_hold",
        world.user(f"{PLACER[side]}_caseworker"),
        reason="placed",
        payload=hold(kind),
    )
    case.refresh_from_db()
    return case


# Finding 5: a hold never blocks the remedy a court ordered ----------------------------------


@pytest.mark.parametrize("outcome", ["transferred_back", "released"])
def test_a_detention_not_validated_hold_lets_the_court_ordered_transfer_back_or_release_pass(
    world, reception, outcome
):
    case = held_in_reception(world, reception, kind="detention_not_validated")
    assert case.legal_hold
    # No return-to-origin plan was recorded: the remedy does not wait for one.
    departed = act(
        case,
        "record_departure",
        world.user("xk_caseworker"),
        reason="Court of Rome did not validate the detention",
        payload={"outcome": outcome, "court_ordered": True},
    )
    assert departed.state == "departed"
    stay = ReceptionStay.objects.get(case=case)
    assert (stay.outcome, stay.ended_at is not None) == (outcome, True)


def test_a_hold_still_blocks_removal_to_the_country_of_origin(world, reception):
    case = held_in_reception(world, reception, kind="detention_not_validated")
    stay_record_return_plan(case=case, plan="flight home", acting_user=world.user("xk_caseworker"))
    for outcome in ("returned_to_origin", "departed_voluntarily"):
        before = snapshot(case)
        with pytest.raises(TransitionRefused) as refused:
            act(case, "record_departure", world.user("xk_caseworker"), payload={"outcome": outcome})
        assert refused.value.rule == "legal-hold"
        assert outcome in refused.value.message
        assert snapshot(case) == before


def test_the_transfer_back_is_offered_under_a_hold(world, reception, api):
    case = held_in_reception(world, reception)
    body = api.get(f"/api/v1/cases/{case.id}", world.user("xk_caseworker")).json()
    assert body["legal_hold"] is True
    assert "record_departure" in body["allowed_actions"]


# Finding 6: only the placing side's supervisor lifts, or a court ---------------------------


@pytest.mark.parametrize("side", ["sending", "receiving"])
def test_the_other_side_cannot_lift_a_hold_without_the_court_decision(world, reception, side):
    case = held_in_reception(world, reception, side=side)
    before = snapshot(case)
    with pytest.raises(Forbidden) as refused:
        act(case, "lift_legal_hold", world.user(f"{OTHER[side]}_supervisor"), reason="no")
    assert refused.value.type == "wrong-party"
    assert f"placed by the {side} party" in refused.value.message
    assert snapshot(case) == before


@pytest.mark.parametrize("side", ["sending", "receiving"])
def test_a_caseworker_of_the_placing_side_cannot_lift_its_hold(world, reception, side):
    case = held_in_reception(world, reception, side=side)
    before = snapshot(case)
    with pytest.raises(Forbidden) as refused:
        act(case, "lift_legal_hold", world.user(f"{PLACER[side]}_caseworker"), reason="no")
    assert refused.value.type == "wrong-role"
    assert snapshot(case) == before


@pytest.mark.parametrize("side", ["sending", "receiving"])
def test_the_placing_sides_supervisor_lifts_its_hold(world, reception, side):
    case = held_in_reception(world, reception, side=side)
    lifted = act(case, "lift_legal_hold", world.user(f"{PLACER[side]}_supervisor"), reason="ok")
    assert lifted.legal_hold is False
    placed = LegalHold.objects.get(case=case)
    assert (placed.lifted_by, placed.lift_court_reference) == (
        world.user(f"{PLACER[side]}_supervisor"),
        "",
    )


@pytest.mark.parametrize("side", ["sending", "receiving"])
def test_either_side_lifts_a_hold_by_recording_the_court_decision_that_lifts_it(
    world, reception, side
):
    case = held_in_reception(world, reception, side=side)
    lifted = act(
        case,
        "lift_legal_hold",
        world.user(f"{OTHER[side]}_caseworker"),
        reason="Interim measure discontinued",
        payload={"court_reference": "ECtHR decision of 2024-04-02"},
    )
    assert lifted.legal_hold is False
    placed = LegalHold.objects.get(case=case)
    assert placed.lift_court_reference == "ECtHR decision of 2024-04-02"
    assert placed.lifted_by == world.user(f"{OTHER[side]}_caseworker")


def test_the_lift_is_written_to_the_history_that_the_other_party_reads(world, reception, login):
    case = held_in_reception(world, reception, side="receiving")
    act(
        case,
        "lift_legal_hold",
        world.user("us_caseworker"),
        reason="Interim measure discontinued",
        payload={"court_reference": "ECtHR 2024-04-02"},
    )
    event = AuditEvent.objects.get(case_id=case.id, data__action="lift_legal_hold")
    assert event.actor_username == "us_caseworker"
    assert event.data["hold"]["side"] == "receiving"
    assert event.data["hold"]["lifted_by_side"] == "sending"
    assert event.data["hold"]["court_reference"] == "ECtHR 2024-04-02"
    # The placing party (receiving) is told through the case history on its page.
    page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Hold lifted on the court decision ECtHR 2024-04-02 by the sending party" in page


def test_several_holds_stand_until_the_last_is_lifted(world, reception):
    case = held_in_reception(world, reception, side="sending")
    act(
        case,
        "place_legal_hold",
        world.user("xk_caseworker"),
        reason="medical",
        payload=hold("medical", authority="Tirana hospital", reference="MED-7"),
    )
    first, second = LegalHold.objects.filter(case=case).order_by("placed_at", "created_at")
    with pytest.raises(ValidationFailed) as unnamed:
        act(case, "lift_legal_hold", world.user("us_supervisor"), reason="x")
    assert unnamed.value.errors[0]["loc"] == ["payload", "hold"]
    with pytest.raises(Forbidden):  # the receiving side's hold is not the sender's to lift
        act(
            case,
            "lift_legal_hold",
            world.user("us_supervisor"),
            reason="x",
            payload={"hold": str(second.id)},
        )
    after_one = act(
        case,
        "lift_legal_hold",
        world.user("us_supervisor"),
        reason="ok",
        payload={"hold": str(first.id)},
    )
    assert after_one.legal_hold is True
    after_two = act(case, "lift_legal_hold", world.user("xk_supervisor"), reason="recovered")
    assert after_two.legal_hold is False


def test_the_same_hold_is_not_recorded_twice(world, reception):
    case = held_in_reception(world, reception, side="sending")
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        act(case, "place_legal_hold", world.user("xk_caseworker"), reason="again", payload=hold())
    assert refused.value.rule == "legal-hold"
    assert snapshot(case) == before


def test_the_case_page_names_each_hold_its_authority_and_who_placed_it(world, reception, login):
    case = held_in_reception(world, reception, side="sending")
    page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "European Court of Human Rights" in page
    assert "Rule 39, application 1234/26" in page
    assert "placed by the sending party" in page


# Readmission holds are records too -------------------------------------------------------------


def test_a_readmission_hold_records_its_authority_and_follows_the_same_lift_rules(world):
    agreement = make_agreement(world.us, world.me, kind="readmission")
    case = make_case(agreement)
    me_worker = world.user("me_supervisor")
    act(case, "place_legal_hold", world.user("us_caseworker"), reason="fear", payload=hold())
    placed = LegalHold.objects.get(case=case)
    assert (placed.side, placed.authority) == ("sending", "European Court of Human Rights")
    with pytest.raises(Forbidden) as refused:
        act(case, "lift_legal_hold", me_worker, reason="no")
    assert refused.value.type == "wrong-party"
    with pytest.raises(ValidationFailed) as missing:
        act(case, "place_legal_hold", world.user("us_caseworker"), reason="x", payload={})
    assert missing.value.errors[0]["loc"] == ["payload", "kind"]


# The API refuses with problem documents -------------------------------------------------------


def test_the_api_refuses_the_wrong_party_and_the_wrong_role_lifting_a_hold(world, reception, api):
    case = held_in_reception(world, reception, side="receiving")
    for key in ("us_supervisor", "xk_caseworker"):
        api.token(world.user(key))  # issuing a token is audited: before the snapshot
    before = snapshot(case)
    wrong_party = api.transition(
        case, world.user("us_supervisor"), {"action": "lift_legal_hold", "reason": "x"}
    )
    assert wrong_party.status_code == 403
    assert wrong_party.json()["type"].endswith("wrong-party")
    wrong_role = api.transition(
        case, world.user("xk_caseworker"), {"action": "lift_legal_hold", "reason": "x"}
    )
    assert wrong_role.status_code == 403
    assert wrong_role.json()["type"].endswith("wrong-role")
    assert snapshot(case) == before
    court = api.transition(
        case,
        world.user("us_caseworker"),
        {"action": "lift_legal_hold", "reason": "x", "payload": {"court_reference": "C-1"}},
    )
    assert court.status_code == 200, court.content
    assert court.json()["legal_hold"] is False


def test_holds_recorded_before_sides_get_the_placing_users_side_and_then_follow_the_rules(
    world, reception
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("readmit.relocation.migrations.0003_holds_authority")
    case = held_in_reception(world, reception, side="receiving")
    LegalHold.objects.filter(case=case).update(side="", organisation=None)
    migration.record_placing_side(apps, None)
    placed = LegalHold.objects.get(case=case)
    assert (placed.side, placed.organisation) == ("receiving", world.xk)
    with pytest.raises(Forbidden):
        act(case, "lift_legal_hold", world.user("us_supervisor"), reason="x")
