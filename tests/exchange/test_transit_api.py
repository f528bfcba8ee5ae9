"""Transit and take-back applications through ``POST /api/v1/agreements/{id}/applications`` and
the transit actions through ``POST /api/v1/cases/{id}/transitions``."""

from __future__ import annotations

import datetime as dt

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core import clock
from tests.cases.test_transit import TRANSIT, _transferred, transit
from tests.exchange.conftest import assert_problem
from tests.exchange.test_applications import application, montenegro, submit

__all__ = ["montenegro"]  # the fixture


def test_a_transit_is_taken_in_revoked_by_the_requested_side_and_taken_back(api, world, montenegro):
    sent = submit(api, world.user("us_caseworker"), montenegro, transit(), key="t-1")
    assert sent.status_code == 201, sent.content
    assert sent.json()["variant"] == "transit"
    case = Case.objects.get(id=sent.json()["id"])
    assert case.data["transit"] == TRANSIT
    accepted = api.transition(case, world.user("me_supervisor"), {"action": "accept"})
    assert {d["kind"] for d in accepted.json()["deadlines"]} == {"reply", "transit"}
    assert (
        "revoke_transit"
        in api.get(f"/api/v1/cases/{case.id}", world.user("me_caseworker")).json()[
            "allowed_actions"
        ]
    )

    revoke = {"action": "revoke_transit", "reason": "the authorisation is withdrawn"}
    assert_problem(api.transition(case, world.user("us_caseworker"), revoke), 403, "wrong-party")
    assert_problem(api.transition(case, world.user("me_liaison"), revoke), 403, "wrong-role")
    assert_problem(api.transition(case, world.user("xk_caseworker"), revoke), 404, "not-found")
    revoked = api.transition(case, world.user("me_caseworker"), revoke)
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["state"] == "take_back_due"
    statuses = {d["kind"]: d["status"] for d in revoked.json()["deadlines"]}
    assert statuses["take_back"] == "open" and statuses["transit"] == "met"
    taken = api.transition(case, world.user("us_caseworker"), {"action": "record_take_back"})
    assert taken.json()["state"] == "taken_back"


def test_a_transit_without_destination_is_a_422_naming_it(api, world, montenegro):
    body = application(variant="transit")
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), montenegro, body), 422, "validation-failed"
    )
    assert [e["loc"][-1] for e in problem["errors"]] == ["transit"]
    assert problem["errors"][0]["msg"].endswith("is required for a transit application")
    assert not Case.objects.exists()


def test_a_take_back_after_the_window_is_a_409_naming_the_rule(api, world, montenegro, monkeypatch):
    earlier = _transferred(world, montenegro, "DHS-E-9", "ME")
    # Only the date moves on: the API token keeps its own clock.
    later = clock.today() + dt.timedelta(days=190)
    monkeypatch.setattr(clock, "today", lambda: later)
    audit_rows = AuditEvent.objects.count()
    body = application("DHS-TB-9", variant="take_back", take_back_of=str(earlier.id))
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), montenegro, body), 409, "take-back-window"
    )
    assert earlier.reference in problem["detail"]
    assert AuditEvent.objects.count() == audit_rows
    assert not Case.objects.filter(external_id="DHS-TB-9").exists()
