"""Every allowed and every forbidden transition of each table, against a literal spec.

The spec below is written out by hand, independent of the table's code: a change to the
table that is not also made here fails these tests.
"""

from __future__ import annotations

import itertools

import pytest

from readmit.accounts.roles import Role
from readmit.cases.workflow import READMISSION, RECEPTION, RELOCATION, Side, Workflow
from readmit.core.errors import Forbidden, TransitionRefused

S, R = "sending", "receiving"
W = {"caseworker", "supervisor"}
SUP = {"supervisor"}
WL = {"caseworker", "supervisor", "liaison"}
REL_OPEN = {"proposed", "recommended", "selected", "transfer_scheduled"}
REC_OPEN = {"proposed", "transfer_scheduled"}
RDM_PENDING = {"submitted", "acknowledged", "interview_requested"}
RDM_ACCEPTED = {"accepted", "deemed_accepted"}
RDM_OPEN = RDM_PENDING | RDM_ACCEPTED | {"travel_document_issued", "transfer_scheduled"}
NOBODY: set[str] = set()  # taken by the system (readmit sweep), never by a party

# action: (sources, target or None for "stays", sides, roles)
SPEC = {
    "relocation": {
        "recommend": ({"proposed"}, "recommended", {R}, W),
        "select": ({"recommended"}, "selected", {R}, SUP),
        "decline": ({"proposed", "recommended"}, "declined", {R}, SUP),
        "reconsider": ({"declined"}, "proposed", {R}, SUP),
        "withdraw": (REL_OPEN, "withdrawn", {S}, W),
        "place_legal_hold": (REL_OPEN | {"in_reception"}, None, {S, R}, W),
        "lift_legal_hold": (REL_OPEN | {"in_reception"}, None, {S, R}, W),
        "schedule_transfer": ({"selected"}, "transfer_scheduled", {S}, W),
        "record_arrival": ({"transfer_scheduled"}, "in_reception", {R}, W),
        "record_departure": ({"in_reception"}, "departed", {R}, W),
        "close": ({"declined", "withdrawn", "departed"}, "closed", {S, R}, W),
    },
    "reception": {
        "decline": ({"proposed"}, "declined", {R}, SUP),
        "reconsider": ({"declined"}, "proposed", {R}, SUP),
        "withdraw": (REC_OPEN, "withdrawn", {S}, W),
        "place_legal_hold": (REC_OPEN | {"in_reception"}, None, {S, R}, W),
        "lift_legal_hold": (REC_OPEN | {"in_reception"}, None, {S, R}, W),
        "schedule_transfer": ({"proposed"}, "transfer_scheduled", {S}, W),
        "record_arrival": ({"transfer_scheduled"}, "in_reception", {R}, W),
        "record_departure": ({"in_reception"}, "departed", {R}, W),
        "close": ({"declined", "withdrawn", "departed"}, "closed", {S, R}, W),
    },
    "readmission": {
        "acknowledge": ({"submitted"}, "acknowledged", {R}, WL),
        "request_interview": ({"submitted", "acknowledged"}, "interview_requested", {R}, WL),
        "accept": (RDM_PENDING, "accepted", {R}, SUP),
        "reject": (RDM_PENDING, "rejected", {R}, SUP),
        "deem_accepted": (RDM_PENDING, "deemed_accepted", NOBODY, NOBODY),
        "extend": (RDM_PENDING, None, {R}, W),
        "issue_travel_document": (
            RDM_ACCEPTED | {"travel_document_issued", "transfer_scheduled"},
            "travel_document_issued",
            {R},
            WL,
        ),
        "revoke_travel_document": (
            {"travel_document_issued", "transfer_scheduled"},
            None,
            {R},
            WL,
        ),
        "withdraw": (RDM_OPEN, "withdrawn", {S}, W),
        "place_legal_hold": (RDM_OPEN, None, {S, R}, W),
        "lift_legal_hold": (RDM_OPEN, None, {S, R}, W),
        "schedule_transfer": (
            RDM_ACCEPTED | {"travel_document_issued"},
            "transfer_scheduled",
            {S},
            W,
        ),
        "record_transfer": ({"transfer_scheduled"}, "transferred", {R}, W),
        # Transit only (a plain readmission neither offers nor takes them: tests/cases/
        # test_transit.py).
        "revoke_transit": (
            RDM_ACCEPTED | {"travel_document_issued", "transfer_scheduled"},
            "take_back_due",
            {R},
            W,
        ),
        "record_transit_failed": (
            {"transfer_scheduled", "transferred"},
            "take_back_due",
            {S, R},
            W,
        ),
        "record_take_back": ({"take_back_due"}, "taken_back", {S}, W),
        "close": ({"rejected", "transferred", "taken_back", "withdrawn"}, "closed", {S, R}, W),
    },
}
TABLES: dict[str, Workflow] = {
    "relocation": RELOCATION,
    "reception": RECEPTION,
    "readmission": READMISSION,
}
SECTION_7_ACTIONS = {
    "relocation": {
        "recommend",
        "select",
        "decline",
        "withdraw",
        "place_legal_hold",
        "lift_legal_hold",
        "schedule_transfer",
        "record_arrival",
        "record_departure",
        "close",
    },
    "readmission": {
        "acknowledge",
        "request_interview",
        "accept",
        "reject",
        "extend",
        "issue_travel_document",
        "schedule_transfer",
        "record_transfer",
        "close",
    },
}


def _pairs():
    for kind, table in TABLES.items():
        for state, action in itertools.product(table.states, table.actions):
            yield kind, state, action


def _hold_needed(action: str) -> bool:
    return action == "lift_legal_hold"


@pytest.mark.parametrize(("kind", "state", "action"), list(_pairs()))
def test_each_state_and_action_is_allowed_exactly_as_the_spec_says(kind, state, action):
    table = TABLES[kind]
    sources, target, sides, roles = SPEC[kind][action]
    if not sides:
        return _system_only(table, state, action, sources, target)
    side = Side(sorted(sides)[0])
    role_set = {Role(r) for r in roles}
    call = {
        "state": state,
        "action": action,
        "side": side,
        "roles": role_set,
        "on_hold": _hold_needed(action),
    }
    if state in sources:
        transition = table.check(**call)
        assert transition.next_state(state) == (target or state)
    else:
        with pytest.raises(TransitionRefused) as refused:
            table.check(**call)
        assert refused.value.rule == "workflow"
        assert state in refused.value.message


def _system_only(table, state, action, sources, target):
    """No party may take it; its sources and target are what the sweep applies."""
    transition = table.get(action)
    assert set(transition.sources) == sources
    assert transition.next_state(state) == target
    refusal = Forbidden if state in sources else TransitionRefused
    for side, role in itertools.product(Side, Role):
        with pytest.raises(refusal):
            table.check(state=state, action=action, side=side, roles={role}, on_hold=False)


@pytest.mark.parametrize("kind", list(TABLES))
def test_tables_have_exactly_the_specified_actions_and_section_7_names(kind):
    assert set(TABLES[kind].actions) == set(SPEC[kind])
    assert SECTION_7_ACTIONS.get(kind, set()) <= set(TABLES[kind].actions)


def _side_role_cases():
    for kind, actions in SPEC.items():
        for action, (sources, _target, sides, roles) in actions.items():
            state = sorted(sources)[0]
            for side, role in itertools.product(Side, Role):
                yield kind, action, state, side, role, side.value in sides and role.value in roles


@pytest.mark.parametrize(
    ("kind", "action", "state", "side", "role", "allowed"), list(_side_role_cases())
)
def test_only_the_specified_side_and_roles_may_act(kind, action, state, side, role, allowed):
    call = {
        "state": state,
        "action": action,
        "side": side,
        "roles": {role},
        "on_hold": _hold_needed(action),
    }
    if allowed:
        TABLES[kind].check(**call)
    else:
        with pytest.raises(Forbidden):
            TABLES[kind].check(**call)


def test_a_non_party_may_take_no_action():
    for kind, table in TABLES.items():
        for state in table.states:
            assert (
                table.allowed_actions(state=state, side=None, roles=set(Role), on_hold=False) == []
            ), kind


@pytest.mark.parametrize("kind", list(TABLES))
def test_a_legal_hold_blocks_every_transfer_related_action_and_only_those(kind):
    table = TABLES[kind]
    for transition in table.transitions:
        if not transition.sides:
            continue  # the system's deemed acceptance: see test_silence
        state = sorted(transition.sources)[0]
        side = sorted(transition.sides)[0]
        call = {
            "state": state,
            "action": transition.action,
            "side": side,
            "roles": set(transition.roles),
            "on_hold": True,
        }
        if transition.transfer_related:
            with pytest.raises(TransitionRefused) as refused:
                table.check(**call)
            assert refused.value.rule == "legal-hold"
        else:
            table.check(**call)


def test_transfer_actions_are_the_transfer_related_ones():
    """``record_departure`` is not among them: its hook refuses only the removal outcomes
    under a hold, never the transfer back or release a court ordered."""
    related = {
        (k, t.action) for k, tb in TABLES.items() for t in tb.transitions if t.transfer_related
    }
    assert related == {
        ("relocation", "schedule_transfer"),
        ("relocation", "record_arrival"),
        ("reception", "schedule_transfer"),
        ("reception", "record_arrival"),
        ("readmission", "schedule_transfer"),
        ("readmission", "record_transfer"),
    }


def test_a_second_hold_may_be_placed_while_one_stands():
    transition = RECEPTION.check(
        state="in_reception",
        action="place_legal_hold",
        side=Side.RECEIVING,
        roles={Role.CASEWORKER},
        on_hold=True,
    )
    assert transition.hold == "place"


def test_lifting_a_hold_that_is_not_there_is_refused():
    with pytest.raises(TransitionRefused) as refused:
        RELOCATION.check(
            state="proposed",
            action="lift_legal_hold",
            side=Side.SENDING,
            roles={Role.CASEWORKER},
            on_hold=False,
        )
    assert refused.value.rule == "legal-hold"


def test_an_unknown_action_is_refused_with_the_known_actions_named():
    with pytest.raises(TransitionRefused) as refused:
        RELOCATION.check(
            state="proposed",
            action="deport",
            side=Side.SENDING,
            roles={Role.SUPERVISOR},
            on_hold=False,
        )
    assert "recommend" in refused.value.message
    assert refused.value.rule == "unknown-action"


def test_every_state_is_reachable_from_the_initial_state():
    for table in TABLES.values():
        reached = {table.initial}
        frontier = [table.initial]
        while frontier:
            state = frontier.pop()
            for t in table.transitions:
                if state in t.sources:
                    nxt = t.next_state(state)
                    if nxt not in reached:
                        reached.add(nxt)
                        frontier.append(nxt)
        assert reached == set(table.states), table.kind
